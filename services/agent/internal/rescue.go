package agent

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// rescueUser is the account IPA's rescue mode opens. The busybox ramdisk has no sudo, so it gets
// uid 0: it stands for IPA's rescue user with its password-less sudo.
const rescueUser = "rescue"

// FinalizeRescue is IPA's rescue.finalize_rescue: the rescue user gets the password the
// conductor sent (already crypt(3)-hashed), and the agent stops heartbeating; the machine stays
// up in its rescue environment for the operator to log in.
func (a *Agent) FinalizeRescue(params map[string]interface{}) (interface{}, error) {
	hash, _ := params["rescue_password"].(string)
	hashed, _ := params["hashed"].(bool)
	if hash == "" {
		return nil, fmt.Errorf("no rescue_password given")
	}
	if !hashed || !strings.HasPrefix(hash, "$") || strings.ContainsAny(hash, ":\n") {
		return nil, fmt.Errorf("this agent takes the rescue password only crypt(3)-hashed (hashed: true)")
	}
	etc := filepath.Join(a.cfg.RescueRoot, "etc")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		return nil, err
	}
	passwd := fmt.Sprintf("%s:x:0:0:rescue:/:/bin/sh", rescueUser)
	days := time.Now().Unix() / 86400
	shadow := fmt.Sprintf("%s:%s:%d:0:99999:7:::", rescueUser, hash, days)
	if err := replaceUserLine(filepath.Join(etc, "passwd"), passwd, 0o644); err != nil {
		return nil, err
	}
	if err := replaceUserLine(filepath.Join(etc, "shadow"), shadow, 0o600); err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.rescued = true
	a.mu.Unlock()
	a.logf("rescue user password set; heartbeats stop")
	return nil, nil
}

// replaceUserLine writes file with the rescue user's line in place of any it had, atomically.
func replaceUserLine(path, line string, mode os.FileMode) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	kept := []string{}
	for _, existing := range strings.Split(string(old), "\n") {
		if existing != "" && !strings.HasPrefix(existing, rescueUser+":") {
			kept = append(kept, existing)
		}
	}
	kept = append(kept, line)
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte(strings.Join(kept, "\n")+"\n"), mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// heartbeating is false once the machine is rescued: its ramdisk's work is done.
func (a *Agent) heartbeating() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.rescued
}
