-- Signature diagnosis (POST /query/diagnose) answers only for merchants with debug on: sandbox
-- and demo merchants, set with `leopard merchant set-debug`. Off for every existing merchant.
ALTER TABLE merchants ADD COLUMN debug BOOLEAN DEFAULT FALSE NOT NULL;
