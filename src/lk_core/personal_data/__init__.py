"""personal_data"""
