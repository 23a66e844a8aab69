/**
 * Ironic's API microversions that change what Galvanic answers, by minor number (all are 1.N),
 * named as Ironic's `ironic/api/controllers/v1/versions.py` names them. Code compares with these,
 * never with bare numbers.
 */
export const MINOR_1_INITIAL_VERSION = 1;
export const MINOR_3_DRIVER_INTERNAL_INFO = 3;
export const MINOR_5_NODE_NAME = 5;
export const MINOR_6_INSPECT_STATE = 6;
export const MINOR_7_NODE_CLEAN = 7;
export const MINOR_8_FETCHING_SUBSET_OF_FIELDS = 8;
export const MINOR_11_ENROLL_STATE = 11;
export const MINOR_12_RAID_CONFIG = 12;
export const MINOR_14_LINKS_NODESTATES_DRIVERPROPERTIES = 14;
export const MINOR_18_PORT_INTERNAL_INFO = 18;
export const MINOR_19_PORT_ADVANCED_NET_FIELDS = 19;
export const MINOR_20_NETWORK_INTERFACE = 20;
export const MINOR_21_RESOURCE_CLASS = 21;
export const MINOR_22_LOOKUP_HEARTBEAT = 22;
export const MINOR_24_PORTGROUPS_SUBRESOURCES = 24;
export const MINOR_30_DYNAMIC_DRIVERS = 30;
export const MINOR_31_DYNAMIC_INTERFACES = 31;
export const MINOR_32_VOLUME = 32;
export const MINOR_33_STORAGE_INTERFACE = 33;
export const MINOR_34_PORT_PHYSICAL_NETWORK = 34;
export const MINOR_37_NODE_TRAITS = 37;
export const MINOR_38_RESCUE_INTERFACE = 38;
export const MINOR_40_BIOS_INTERFACE = 40;
export const MINOR_42_FAULT = 42;
export const MINOR_43_ENABLE_DETAIL_QUERY = 43;
export const MINOR_44_NODE_DEPLOY_STEP = 44;
export const MINOR_45_RESET_INTERFACES = 45;
export const MINOR_46_NODE_CONDUCTOR_GROUP = 46;
export const MINOR_47_NODE_AUTOMATED_CLEAN = 47;
export const MINOR_48_NODE_PROTECTED = 48;
export const MINOR_49_CONDUCTORS = 49;
export const MINOR_50_NODE_OWNER = 50;
export const MINOR_51_NODE_DESCRIPTION = 51;
export const MINOR_52_ALLOCATION = 52;
export const MINOR_53_PORT_SMARTNIC = 53;
export const MINOR_54_EVENTS = 54;
export const MINOR_55_DEPLOY_TEMPLATES = 55;
export const MINOR_61_NODE_RETIRED = 61;
export const MINOR_64_LOCAL_LINK_CONNECTION_NETWORK_TYPE = 64;
export const MINOR_65_NODE_LESSEE = 65;
export const MINOR_66_NODE_NETWORK_DATA = 66;
export const MINOR_75_NODE_BOOT_MODE = 75;
export const MINOR_82_NODE_SHARD = 82;
