"""Drives the emulator with sushy, Ironic's Redfish library, the way Ironic's redfish driver does.

usage: sushy_check.py URL CA_PATH USER PASSWORD   (prints "sushy-check: ok" at the end)
Written against sushy 4.3 (Debian's python3-sushy) and later.
"""
import sys
import time

import sushy

url, ca, user, password = sys.argv[1:5]
root = url + '/redfish/v1'

for auth in (sushy.auth.SessionAuth(username=user, password=password),
             sushy.auth.BasicAuth(username=user, password=password)):
    conn = sushy.Sushy(root, verify=ca, auth=auth)
    assert conn.redfish_version, 'no RedfishVersion'

conn = sushy.Sushy(root, verify=ca, username=user, password=password)
members = conn.get_system_collection().get_members()
assert [m.identity for m in members] == ['1', '2'], members

system = conn.get_system('/redfish/v1/Systems/1')
assert sushy.RESET_FORCE_OFF in system.get_allowed_reset_system_values()
system.reset_system(sushy.RESET_ON)
system.refresh()
assert system.power_state == sushy.SYSTEM_POWER_STATE_ON, system.power_state

assert sushy.BOOT_SOURCE_TARGET_PXE in system.get_allowed_system_boot_source_values()
system.set_system_boot_options(sushy.BOOT_SOURCE_TARGET_PXE,
                               enabled=sushy.BOOT_SOURCE_ENABLED_CONTINUOUS,
                               mode=sushy.BOOT_SOURCE_MODE_UEFI)
system.refresh()
assert system.boot.target == sushy.BOOT_SOURCE_TARGET_PXE, system.boot.target
assert system.boot.enabled == sushy.BOOT_SOURCE_ENABLED_CONTINUOUS

system.set_indicator_led(sushy.INDICATOR_LED_BLINKING)
system.refresh()
assert system.indicator_led == sushy.INDICATOR_LED_BLINKING

bios = system.bios
assert bios.attributes['ProcTurboMode'] == 'Enabled'
bios.set_attributes({'ProcTurboMode': 'Disabled'})
assert bios.pending_attributes == {'ProcTurboMode': 'Disabled'}, bios.pending_attributes
system.reset_system(sushy.RESET_FORCE_RESTART)
bios.refresh()
assert bios.attributes['ProcTurboMode'] == 'Disabled'
bios.reset_bios()
bios.refresh()
assert bios.attributes['ProcTurboMode'] == 'Enabled'

assert system.simple_storage.disks_sizes_bytes == [480103981056, 2000398934016]
assert system.storage.drives_sizes_bytes == [480103981056, 2000398934016]
assert len(system.ethernet_interfaces.summary) == 2
assert system.memory_summary.size_gib == 64

manager = system.managers[0]
slots = {vm.identity: vm for vm in manager.virtual_media.get_members()}
assert sushy.VIRTUAL_MEDIA_CD in slots['Cd'].media_types
cd = slots['Cd']
cd.insert_media('http://192.0.2.1/boot.iso')
# The emulator in this check answers InsertMedia with a task: wait for it like Ironic would.
for _ in range(100):
    cd.refresh()
    if cd.inserted:
        break
    time.sleep(0.05)
assert cd.inserted and cd.image == 'http://192.0.2.1/boot.iso', cd.image
cd.eject_media()
cd.refresh()
assert not cd.inserted and cd.image is None

assert [c.identity for c in conn.get_chassis_collection().get_members()] == ['1', '2']

events = conn.get_event_service()
events.subscriptions.create({'Destination': 'https://192.0.2.9/events',
                             'EventTypes': ['Alert'], 'Context': 'sushy',
                             'Protocol': 'Redfish'})
assert len(events.subscriptions.get_members()) == 1

updates = conn.get_update_service()
monitor = updates.simple_update('http://192.0.2.1/fw/bmc-2.0.1.bin',
                                targets=['/redfish/v1/Managers/2'])
assert monitor.is_processing
assert monitor.cancellable
assert monitor.task.task_state == sushy.TASK_STATE_RUNNING, monitor.task.task_state
monitor.wait(30)
# sushy follows the Task's own URI (the 202 carried the Task), which answers 202 while running.
assert not monitor.is_processing
assert monitor.response.status_code == 200, monitor.response.status_code
assert monitor.get_task().task_state == sushy.TASK_STATE_COMPLETED
assert conn.get_manager('/redfish/v1/Managers/2').firmware_version == '2.0.1'

print('sushy-check: ok')
