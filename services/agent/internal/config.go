// Package agent is Galvanic's deploy-ramdisk agent: it speaks the agent side of Ironic's
// protocol (lookup, heartbeat, /v1/commands) so an Ironic-compatible conductor can inspect,
// clean and deploy the machine it runs on.
package agent

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// Version is what the agent reports as agent_version.
const Version = "galvanic-agent 0.1.0"

// Config is how the agent was started: flags on a host, the kernel command line in a ramdisk.
type Config struct {
	APIURL                string
	InspectionCallbackURL string
	Listen                string
	AdvertiseHost         string
	AdvertisePort         int
	// Disks are block devices (or image files, on a host) the agent may write; empty means
	// every disk in /sys/block.
	Disks []string
	// MACs are the addresses the agent looks its node up by; empty means every NIC's.
	MACs []string
	// PowerCommands runs poweroff/reboot for real; a host process only records them.
	PowerCommands bool
	TempDir       string
	PXEMAC        string
	// RescueRoot is where rescue.finalize_rescue writes etc/passwd and etc/shadow: / in the
	// ramdisk, a scratch directory on a host.
	RescueRoot string
	// LookupInterval is the wait between lookups that found nothing yet.
	LookupInterval time.Duration
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// kernelParams reads key=value words of /proc/cmdline (or the given text).
func kernelParams(text string) map[string]string {
	params := map[string]string{}
	for _, word := range strings.Fields(text) {
		if key, value, ok := strings.Cut(word, "="); ok {
			params[key] = value
		}
	}
	return params
}

// LoadConfig reads the flags, filling what they leave out from the kernel command line.
func LoadConfig(args []string) (Config, error) {
	var cfg Config
	var disks, macs listFlag
	fs := flag.NewFlagSet("galvanic-agent", flag.ContinueOnError)
	fs.StringVar(&cfg.APIURL, "api-url", "", "the API's URL (ipa-api-url)")
	fs.StringVar(&cfg.InspectionCallbackURL, "inspection-callback-url", "", "where to post the inventory (ipa-inspection-callback-url)")
	fs.StringVar(&cfg.Listen, "listen", "0.0.0.0:9999", "address the command API listens on")
	fs.StringVar(&cfg.AdvertiseHost, "advertise-host", "", "host in the callback URL (ipa-advertise-host)")
	fs.IntVar(&cfg.AdvertisePort, "advertise-port", 0, "port in the callback URL (ipa-advertise-port)")
	fs.Var(&disks, "disk", "a disk the agent may write (repeatable); all of /sys/block when none")
	fs.Var(&macs, "mac", "a MAC address to look the node up by (repeatable); all NICs when none")
	fs.BoolVar(&cfg.PowerCommands, "power", false, "really power off / reboot on command")
	fs.StringVar(&cfg.TempDir, "temp-dir", os.TempDir(), "where downloaded images are kept until written")
	fs.StringVar(&cfg.RescueRoot, "rescue-root", "/", "root under which rescue writes etc/passwd and etc/shadow")
	cmdline := fs.String("cmdline", "/proc/cmdline", "kernel command line to read ipa-* parameters from")
	fs.DurationVar(&cfg.LookupInterval, "lookup-interval", 2*time.Second, "wait between lookups")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	cfg.Disks, cfg.MACs = disks, macs
	text, _ := os.ReadFile(*cmdline)
	params := kernelParams(string(text))
	if cfg.APIURL == "" {
		cfg.APIURL = params["ipa-api-url"]
	}
	if cfg.InspectionCallbackURL == "" {
		cfg.InspectionCallbackURL = params["ipa-inspection-callback-url"]
	}
	if cfg.AdvertiseHost == "" {
		cfg.AdvertiseHost = params["ipa-advertise-host"]
	}
	if cfg.AdvertisePort == 0 {
		fmt.Sscanf(params["ipa-advertise-port"], "%d", &cfg.AdvertisePort)
	}
	if bootif := params["BOOTIF"]; bootif != "" {
		// pxelinux's form: 01-aa-bb-cc-dd-ee-ff (01 is the hardware type).
		cfg.PXEMAC = strings.ReplaceAll(strings.TrimPrefix(bootif, "01-"), "-", ":")
	}
	if cfg.APIURL == "" {
		return cfg, fmt.Errorf("no API URL: pass --api-url or ipa-api-url= on the kernel command line")
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	return cfg, nil
}
