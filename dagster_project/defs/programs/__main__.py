"""`python -m dagster_project.defs.programs`: compile config/programs/*.yml into the dbt seeds (make program-seeds)."""

from dagster_project.defs.programs.seeds import write_seeds

if __name__ == "__main__":
    for path in write_seeds():
        print(path)
