"""The demo company (F29): billing files of a realistic Tver management company."""

from lk_adapters.demo.accounts_to_try import demo_accounts_to_try
from lk_adapters.demo.company import demo_company, demo_executors
from lk_adapters.demo.generator import write_demo_files

__all__ = ["demo_accounts_to_try", "demo_company", "demo_executors", "write_demo_files"]
