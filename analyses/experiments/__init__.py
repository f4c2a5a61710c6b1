"""The experiment engine: experiment files (`experiment`), their design points and seeds
(`design`), where runs execute (`engines`: in process, a process pool, Dask), the results on
disk (`storage`: one Parquet file per run), the resumable sweep (`sweep`), and one run as an
outcomes dict for EMA Workbench and SALib (`outcomes`)."""
