-- The accelerators (GPU, FPGA, …) a server's profile expects, beside its CPUs: one entry per kind,
-- "count|type|model", entries separated by ';' (the manifest's model rule allows neither
-- character). Empty for a profile that names none, as every row written before this column has.
ALTER TABLE server_validation_job ADD COLUMN accelerators VARCHAR(2048) NOT NULL DEFAULT '';
