-- Replay protection (docs/PROTOCOL.md 4.3), opt-in per merchant with `leopard merchant set-replay`:
-- the window in seconds within which a request's timestamp must fall and its noise must be new.
-- NULL (every existing merchant): off, the merchant's requests are checked as before.
ALTER TABLE merchants ADD COLUMN replay_window_seconds INTEGER NULL;
