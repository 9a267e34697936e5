"""`lk payments import-registry` and `lk payments reconcile` as an operator runs them."""

from __future__ import annotations

import json
import zoneinfo
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_cli.main import cli
from lk_core.kernel.money import Money
from lk_core.payments.orders import OrderStatus, PaymentOrder

ACCOUNTS = (
    "account;house;payer;flat;rooms;area;residents;phone;email\n"
    "100234-А;H1;Королёва Анна Петровна;кв. 5;2;54,30;3;;\n"
    "100235;H1;Иванов Иван Иванович;кв. 6;1;33,10;1;;\n"
)
HOUSES = "house;address;total_area\nH1;г. Тверь, ул. Советская, д. 12;3250,40\n"
# Sberbank's layout: date;time;branch;cashier;operation;account;payer;address;period;
# amount;transferred;commission[;order], closed by =count;total;transferred;commission
REGISTRY = (
    "02-03-2026;10-15-22;8607;8607999V;510011;100234-А;КОРОЛЁВА АННА ПЕТРОВНА;"
    "Г ТВЕРЬ УЛ СОВЕТСКАЯ 12-5;032026;1500,00;1485,00;15,00\n"
    "02-03-2026;11-02-03;8607;8607001;510012;100235;ИВАНОВ ИВАН ИВАНОВИЧ;"
    "Г ТВЕРЬ УЛ СОВЕТСКАЯ 12-6;032026;410,39;406,29;4,10;{order}\n"
    "=2;1910,39;1891,29;19,10\n"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}"}
    for name, text in (("houses.csv", HOUSES), ("accounts.csv", ACCOUNTS)):
        (tmp_path / name).write_text(text, encoding="cp1251")
    result = run(
        environment, "import", str(tmp_path / "houses.csv"), str(tmp_path / "accounts.csv")
    )
    assert result.exit_code == 0, result.output
    return environment


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def registry(folder: Path, text: str = REGISTRY, order: str = "", name: str = "r.csv") -> str:
    path = folder / name
    path.write_bytes(text.replace("{order}", order).encode("cp1251"))
    return str(path)


def a_pending_order(env: dict[str, str], amount: int = 41_039) -> str:
    container = build_container(load_settings(env))
    order = PaymentOrder(
        "a" * 32, "100235", "yookassa", Money(amount), container.clock().now(), email=""
    )
    with container.uow_factory()() as uow:
        uow.payment_orders.add(order)
        uow.commit()
    container.engine().dispose()
    return order.id


def stored(env: dict[str, str]) -> tuple[list[Money], OrderStatus | None]:
    container = build_container(load_settings(env))
    with container.uow_factory()() as uow:
        paid = [p.amount for key in ("100234", "100235") for p in uow.payments.of_account(key)]
        order = uow.payment_orders.get("a" * 32)
    container.engine().dispose()
    return sorted(paid), order.status if order else None


def test_a_registry_is_loaded_once_and_confirms_the_order_it_names(
    tmp_path: Path, env: dict[str, str]
) -> None:
    order_id = a_pending_order(env)
    path = registry(tmp_path, order=order_id)

    first = run(env, "payments", "import-registry", path, "--bank", "sberbank")
    again = run(env, "payments", "import-registry", path, "--bank", "sberbank")

    assert first.exit_code == 0, first.output
    assert "зачислен без заказа: 1" in first.output
    assert "подтвердил заказ портала: 1" in first.output
    assert "уже загружены раньше — 2" in again.output
    assert stored(env) == ([Money(41_039), Money(150_000)], OrderStatus.SUCCEEDED)


def test_bad_lines_are_named_by_file_line_and_column_and_nothing_loads(
    tmp_path: Path, env: dict[str, str]
) -> None:
    broken = REGISTRY.replace("1500,00;1485", "15ОО;1485").replace("02-03-2026;11", "31-02-2026;11")
    path = registry(tmp_path, broken)

    result = run(env, "payments", "import-registry", path, "--bank", "sberbank")

    assert result.exit_code == 3
    assert f"{path}:1:10: «15ОО» — не сумма в рублях" in result.output
    assert f"{path}:2:1: «31-02-2026» — не дата" in result.output
    assert stored(env) == ([], None)


def test_an_unknown_account_refuses_the_registry(tmp_path: Path, env: dict[str, str]) -> None:
    path = registry(tmp_path, REGISTRY.replace("100235", "999999"))

    result = run(env, "payments", "import-registry", path, "--bank", "sberbank")

    assert result.exit_code == 3
    assert f"{path}:2: лицевой счёт 999999 не найден" in result.output
    assert stored(env) == ([], None)


def test_a_summary_that_disagrees_with_the_lines_refuses_the_registry(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = registry(tmp_path, REGISTRY.replace("=2;1910,39", "=2;1910,40"))

    result = run(env, "payments", "import-registry", path, "--bank", "sberbank")

    assert result.exit_code == 3
    assert f"{path}:3:2: итоговая сумма 1910,40" in result.output


def test_a_bank_with_its_own_columns_is_read_by_its_configured_format(
    tmp_path: Path, env: dict[str, str]
) -> None:
    text = "Операция;Дата;Счёт;Сумма\nv-1;2026-03-02;100234;99,99\n"
    path = registry(tmp_path, text)
    env = {**env, "LK_CONFIG_FILE": str(tmp_path / "lk.toml")}
    (tmp_path / "lk.toml").write_text(
        '[payments.banks]\nvtb = "line_id=1 date=2 account=3 amount=4 date_format=%Y-%m-%d '
        'skip=1 summary="\n',
        encoding="utf-8",
    )

    result = run(env, "payments", "import-registry", path, "--bank", "vtb")

    assert result.exit_code == 0, result.output
    assert stored(env)[0] == [Money(9_999)]


def test_an_unknown_bank_is_a_configuration_error(tmp_path: Path, env: dict[str, str]) -> None:
    result = run(env, "payments", "import-registry", registry(tmp_path), "--bank", "нет")

    assert result.exit_code == 2
    assert "известны: sberbank" in result.output


def test_reconcile_reports_pending_orders_and_what_came_without_one(
    tmp_path: Path, env: dict[str, str]
) -> None:
    order_id = a_pending_order(env, amount=5_000)
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")  # the company's day, as reconcile counts it
    today = build_container(load_settings(env)).clock().now().astimezone(moscow).date()
    path = registry(tmp_path, REGISTRY.replace("02-03-2026", f"{today:%d-%m-%Y}"))
    run(env, "payments", "import-registry", path, "--bank", "sberbank")
    day = today.isoformat()

    table = run(env, "payments", "reconcile", "--date", day)
    found = json.loads(run(env, "payments", "reconcile", "--date", day, "--json").output)

    assert table.exit_code == 0, table.output
    assert order_id in table.output
    assert [o["order"] for o in found["pending_orders"]] == [order_id]
    assert sorted(p["operation"] for p in found["payments_without_order"]) == ["510011", "510012"]
    assert found["mismatched_amounts"] == []
