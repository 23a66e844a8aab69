// Command galvanic-agent is Galvanic's deploy-ramdisk agent. In a ramdisk it reads ipa-*
// parameters from the kernel command line; on a host, flags name the API, disks and MACs.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	agent "galvanic.dev/agent/internal"
)

func main() {
	cfg, err := agent.LoadConfig(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "galvanic-agent:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := agent.New(cfg).Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "galvanic-agent:", err)
		os.Exit(1)
	}
}
