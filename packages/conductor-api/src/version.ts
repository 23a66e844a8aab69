/**
 * The version of the contract in this package, sent with every call and registered by every
 * conductor. Bump the minor for additions (a method, an optional argument, a result field), the
 * major for anything else (a removal, a rename, a changed type, a newly required argument): the
 * api routes only to conductors of its major, and conductors refuse calls of another major.
 */
// 1.1: set_boot_mode, inject_nmi, get_supported_indicators, get/set_indicator_state.
// 1.2: create_allocation, backfill_allocation, destroy_allocation.
// 1.3: add/remove_node_traits, vif_list/attach/detach, set_target_raid_config; update_node takes
// maintenance_reason, parent_node, instance_name and disable_power_off.
// 1.4: get_virtual_media, attach_virtual_media, detach_virtual_media.
// 1.5: get_node_with_token, heartbeat, continue_inspection.
// 1.6: do_provisioning_action takes `service` with service_steps (servicing, API 1.87).
// 1.7: provision takes the `unhold` target (API 1.85).
// 1.8: provision takes `rescue_password` with the `rescue` target (API 1.38).
export const CONDUCTOR_CONTRACT_VERSION = '1.8';
