package agent

import (
	"os/exec"
	"syscall"
	"time"
)

func syncDisks() { syscall.Sync() }

// power powers the machine off or reboots it, a moment after the command's answer went out.
// A host process (no --power) only records the request.
func (a *Agent) power(action string) error {
	syncDisks()
	if !a.cfg.PowerCommands {
		a.logf("%s requested (not acted on without --power)", action)
		return nil
	}
	go func() {
		time.Sleep(time.Second)
		if err := exec.Command("/bin/busybox", action, "-f").Run(); err != nil {
			how := syscall.LINUX_REBOOT_CMD_POWER_OFF
			if action == "reboot" {
				how = syscall.LINUX_REBOOT_CMD_RESTART
			}
			_ = syscall.Reboot(how)
		}
	}()
	return nil
}
