"""Programs as configuration: config/programs/<code>.yml read by pydantic models, compiled into dbt seeds."""
