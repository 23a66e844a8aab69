package agent

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// Command is one command as the agent reports it (Ironic Python Agent's shape).
type Command struct {
	ID     string      `json:"id"`
	Name   string      `json:"command_name"`
	Status string      `json:"command_status"`
	Error  interface{} `json:"command_error"`
	Result interface{} `json:"command_result"`
	done   chan struct{}
}

type handler func(params map[string]interface{}) (interface{}, error)

// commandLog keeps every command of this boot, in order.
type commandLog struct {
	mu       sync.Mutex
	commands []*Command
}

func (l *commandLog) snapshot() []Command {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Command, len(l.commands))
	for i, c := range l.commands {
		out[i] = *c
	}
	return out
}

func (l *commandLog) get(id string) (Command, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.commands {
		if c.ID == id {
			return *c, true
		}
	}
	return Command{}, false
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%s-%s-%s-%s", hex.EncodeToString(b[0:4]), hex.EncodeToString(b[4:6]),
		hex.EncodeToString(b[6:8]), hex.EncodeToString(b[8:10]), hex.EncodeToString(b[10:16]))
}

// remarshal turns a decoded JSON value into a typed one.
func remarshal(in interface{}, out interface{}) error {
	data, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}

// agentError is IPA's error shape in command_error.
func agentError(err error) map[string]interface{} {
	return map[string]interface{}{"type": "CommandExecutionError", "code": 500,
		"message": "Command execution failed", "details": err.Error()}
}

// run starts a command; one runs at a time, as in IPA, so a second is refused while one runs.
func (l *commandLog) run(name string, fn handler, params map[string]interface{}) (*Command, error) {
	l.mu.Lock()
	for _, c := range l.commands {
		if c.Status == "RUNNING" {
			l.mu.Unlock()
			return nil, fmt.Errorf("command %s (%s) is still running", c.Name, c.ID)
		}
	}
	command := &Command{ID: newID(), Name: name, Status: "RUNNING", done: make(chan struct{})}
	l.commands = append(l.commands, command)
	l.mu.Unlock()
	go func() {
		started := time.Now()
		result, err := fn(params)
		l.mu.Lock()
		if err != nil {
			command.Status, command.Error = "FAILED", agentError(err)
		} else {
			command.Status, command.Result = "SUCCEEDED", result
		}
		l.mu.Unlock()
		close(command.done)
		fmt.Printf("galvanic-agent: command %s %s in %s\n", name, command.Status, time.Since(started).Round(time.Millisecond))
	}()
	return command, nil
}

// handlers are the commands this agent runs, by IPA's names.
func (a *Agent) handlers() map[string]handler {
	return map[string]handler{
		"standby.prepare_image": a.PrepareImage,
		"standby.sync": func(map[string]interface{}) (interface{}, error) {
			syncDisks()
			return nil, nil
		},
		"standby.power_off": func(map[string]interface{}) (interface{}, error) {
			return nil, a.power("poweroff")
		},
		"standby.run_image": func(map[string]interface{}) (interface{}, error) {
			return nil, a.power("reboot")
		},
		"deploy.get_clean_steps": func(map[string]interface{}) (interface{}, error) {
			return map[string]interface{}{"clean_steps": map[string]interface{}{"GalvanicHardwareManager": []map[string]interface{}{
				{"step": "erase_devices_metadata", "priority": 99, "interface": "deploy", "reboot_requested": false, "abortable": true},
				{"step": "erase_devices", "priority": 0, "interface": "deploy", "reboot_requested": false, "abortable": true},
			}}, "hardware_manager_version": map[string]string{"GalvanicHardwareManager": "1.0"}}, nil
		},
		"deploy.execute_clean_step": a.executeCleanStep,
		"rescue.finalize_rescue":    a.FinalizeRescue,
		"system.get_inventory": func(map[string]interface{}) (interface{}, error) {
			return a.Inventory(), nil
		},
	}
}

func (a *Agent) executeCleanStep(params map[string]interface{}) (interface{}, error) {
	step, _ := params["step"].(map[string]interface{})
	name, _ := step["step"].(string)
	var erase func(string) error
	switch name {
	case "erase_devices_metadata":
		erase = EraseMetadata
	case "erase_devices":
		erase = EraseAll
	default:
		return nil, fmt.Errorf("unknown clean step %q", name)
	}
	for _, disk := range a.Disks() {
		a.logf("%s on %s", name, disk.Name)
		if err := erase(disk.Name); err != nil {
			return nil, fmt.Errorf("%s on %s: %w", name, disk.Name, err)
		}
	}
	return map[string]interface{}{"clean_result": nil, "clean_step": step}, nil
}
