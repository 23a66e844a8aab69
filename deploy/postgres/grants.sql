-- Least-privilege database roles for split mode. Migrations (`pnpm db:migrate`, the migrate Job)
-- run as the role that owns the database and its tables; the api and the conductors each log in
-- as a role of their own holding only what they use. Run this as the owner after migrating, in
-- the Galvanic database, with real passwords:
--
--   CREATE ROLE galvanic_api LOGIN PASSWORD '...';
--   CREATE ROLE galvanic_conductor LOGIN PASSWORD '...';
--   psql -d galvanic -f deploy/postgres/grants.sql
--
-- Advisory node locks, pg_locks and the application_name of other sessions (who holds a lock)
-- need no grant. Deleting a node deletes its ports through the foreign key, as the table owner.

GRANT USAGE ON SCHEMA public TO galvanic_api, galvanic_conductor;

-- The api reads everything, creates nodes, and owns the port, port group, volume and chassis APIs;
-- node changes and deletes go through the conductors (a node's chassis too).
GRANT SELECT ON nodes, ports, conductors, conductor_hardware_interfaces TO galvanic_api;
GRANT INSERT ON nodes TO galvanic_api;
GRANT INSERT, UPDATE, DELETE ON ports TO galvanic_api;
GRANT SELECT, INSERT, UPDATE, DELETE ON chassis TO galvanic_api;
GRANT SELECT, INSERT, UPDATE, DELETE ON portgroups, volume_connectors, volume_targets TO galvanic_api;
GRANT USAGE ON SEQUENCE nodes_id_seq, ports_id_seq, chassis_id_seq, portgroups_id_seq,
  volume_connectors_id_seq, volume_targets_id_seq TO galvanic_api;

-- A conductor changes and deletes nodes under their locks, bumps a node's lock epoch when it
-- takes the lock, reads ports, and keeps its own registration (SELECT ... FOR UPDATE on it needs
-- UPDATE).
GRANT SELECT, UPDATE, DELETE ON nodes TO galvanic_conductor;
GRANT SELECT, INSERT, UPDATE ON node_lock_epochs TO galvanic_conductor;
-- (A port shows its port group's UUID.)
GRANT SELECT ON ports, portgroups TO galvanic_conductor;
GRANT SELECT, INSERT, UPDATE ON conductors TO galvanic_conductor;
GRANT SELECT, INSERT, DELETE ON conductor_hardware_interfaces TO galvanic_conductor;
GRANT USAGE ON SEQUENCE conductors_id_seq, conductor_hardware_interfaces_id_seq TO galvanic_conductor;

-- Each node's BIOS settings: a conductor caches them under the node's lock, the api shows them.
GRANT SELECT ON bios_settings TO galvanic_api;
GRANT SELECT, INSERT, UPDATE, DELETE ON bios_settings TO galvanic_conductor;

-- Node history: a conductor records events on the nodes it works on (and drops the oldest), the
-- api shows them. VIFs live in the internal_info of ports and port groups, written by the
-- conductor under the node's lock.
GRANT SELECT ON node_history TO galvanic_api;
GRANT SELECT, INSERT, DELETE ON node_history TO galvanic_conductor;
GRANT USAGE ON SEQUENCE node_history_id_seq TO galvanic_conductor;
GRANT UPDATE (internal_info, extra, updated_at) ON ports, portgroups TO galvanic_conductor;

-- Firmware components: a conductor records what a node's firmware interface reports, the api
-- shows them.
GRANT SELECT ON firmware_information TO galvanic_api;
GRANT SELECT, INSERT, UPDATE ON firmware_information TO galvanic_conductor;
