"""Operations: partitions, the nightly job, schedule, sensors, run history and alerts."""
