"""`python -m dagster_project.defs.programs`: compile config/programs/*.yml into the dbt seeds (make program-seeds)."""

from dagster_project.defs.programs.seeds import compile_seeds

if __name__ == "__main__":
    for path in compile_seeds():
        print(path)
