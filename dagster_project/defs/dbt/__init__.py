"""The dbt project as Dagster assets: the translator, the build, the CLI resource."""
