package agent

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// Disk is a block device as Ironic's inventory describes it.
type Disk struct {
	Name       string `json:"name"`
	Model      string `json:"model"`
	Vendor     string `json:"vendor"`
	Serial     string `json:"serial"`
	WWN        string `json:"wwn"`
	Size       int64  `json:"size"`
	Rotational bool   `json:"rotational"`
	HCTL       string `json:"hctl"`
	ByPath     string `json:"by_path"`
}

// NIC is a network interface as Ironic's inventory describes it.
type NIC struct {
	Name        string  `json:"name"`
	MACAddress  string  `json:"mac_address"`
	IPv4Address *string `json:"ipv4_address"`
	HasCarrier  bool    `json:"has_carrier"`
}

func readText(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

// Interfaces are the machine's NICs (loopback left out); on a host, the configured MACs.
func (a *Agent) Interfaces() []NIC {
	if len(a.cfg.MACs) > 0 {
		nics := make([]NIC, 0, len(a.cfg.MACs))
		for i, mac := range a.cfg.MACs {
			nics = append(nics, NIC{Name: fmt.Sprintf("eth%d", i), MACAddress: strings.ToLower(mac), HasCarrier: true})
		}
		return nics
	}
	var nics []NIC
	links, _ := net.Interfaces()
	for _, link := range links {
		if link.Flags&net.FlagLoopback != 0 || len(link.HardwareAddr) != 6 {
			continue
		}
		nic := NIC{Name: link.Name, MACAddress: link.HardwareAddr.String(),
			HasCarrier: readText("/sys/class/net/"+link.Name+"/carrier") == "1"}
		if addrs, err := link.Addrs(); err == nil {
			for _, addr := range addrs {
				if ipnet, ok := addr.(*net.IPNet); ok && ipnet.IP.To4() != nil {
					ip := ipnet.IP.String()
					nic.IPv4Address = &ip
					break
				}
			}
		}
		nics = append(nics, nic)
	}
	return nics
}

// Disks are the block devices the agent may use: the configured ones, else /sys/block's
// disks (loop, ram, optical and zero-sized devices left out).
func (a *Agent) Disks() []Disk {
	var disks []Disk
	if len(a.cfg.Disks) > 0 {
		for _, path := range a.cfg.Disks {
			size, _ := deviceSize(path)
			disks = append(disks, Disk{Name: path, Size: size, Model: "image file"})
		}
		return disks
	}
	entries, _ := os.ReadDir("/sys/block")
	for _, entry := range entries {
		name := entry.Name()
		if strings.HasPrefix(name, "loop") || strings.HasPrefix(name, "ram") || strings.HasPrefix(name, "sr") {
			continue
		}
		base := filepath.Join("/sys/block", name)
		sectors, _ := strconv.ParseInt(readText(base+"/size"), 10, 64)
		if sectors == 0 {
			continue
		}
		disks = append(disks, Disk{
			Name:       "/dev/" + name,
			Size:       sectors * 512,
			Model:      readText(base + "/device/model"),
			Vendor:     readText(base + "/device/vendor"),
			Serial:     readText(base + "/serial"),
			WWN:        readText(base + "/wwid"),
			Rotational: readText(base+"/queue/rotational") == "1",
		})
	}
	sort.Slice(disks, func(i, j int) bool { return disks[i].Name < disks[j].Name })
	return disks
}

func cpuInfo() map[string]interface{} {
	model, flags, freq := "", []string{}, ""
	if file, err := os.Open("/proc/cpuinfo"); err == nil {
		defer file.Close()
		scanner := bufio.NewScanner(file)
		for scanner.Scan() {
			key, value, ok := strings.Cut(scanner.Text(), ":")
			if !ok {
				continue
			}
			key, value = strings.TrimSpace(key), strings.TrimSpace(value)
			switch {
			case key == "model name" && model == "":
				model = value
			case key == "flags" && len(flags) == 0:
				flags = strings.Fields(value)
			case key == "cpu MHz" && freq == "":
				freq = value
			}
		}
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return map[string]interface{}{"model_name": model, "frequency": freq, "count": runtime.NumCPU(),
		"architecture": arch, "flags": flags}
}

// memoryInfo gives the kernel's usable total and the physical size: the online memory blocks
// when sysfs has them (what dmidecode would say, near enough), else the total rounded up.
func memoryInfo() map[string]interface{} {
	var totalKiB int64
	for _, line := range strings.Split(readText("/proc/meminfo"), "\n") {
		if strings.HasPrefix(line, "MemTotal:") {
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "MemTotal:")), "%d", &totalKiB)
		}
	}
	physicalMB := (totalKiB + 1023) / 1024
	blockSize, err := strconv.ParseInt(readText("/sys/devices/system/memory/block_size_bytes"), 16, 64)
	if err == nil && blockSize > 0 {
		blocks, _ := filepath.Glob("/sys/devices/system/memory/memory*/online")
		online := int64(0)
		for _, path := range blocks {
			if readText(path) == "1" {
				online++
			}
		}
		if online > 0 {
			physicalMB = online * blockSize / (1024 * 1024)
		}
	}
	return map[string]interface{}{"total": totalKiB * 1024, "physical_mb": physicalMB}
}

// Inventory is the machine's hardware as Ironic Python Agent reports it.
func (a *Agent) Inventory() map[string]interface{} {
	hostname, _ := os.Hostname()
	pxe := interface{}(nil)
	if a.cfg.PXEMAC != "" {
		pxe = strings.ToLower(a.cfg.PXEMAC)
	}
	return map[string]interface{}{
		"interfaces":    a.Interfaces(),
		"cpu":           cpuInfo(),
		"disks":         a.Disks(),
		"memory":        memoryInfo(),
		"bmc_address":   nil,
		"bmc_v6address": nil,
		"system_vendor": map[string]string{
			"product_name":  readText("/sys/class/dmi/id/product_name"),
			"serial_number": readText("/sys/class/dmi/id/product_serial"),
			"manufacturer":  readText("/sys/class/dmi/id/sys_vendor"),
		},
		"boot":     map[string]interface{}{"current_boot_mode": bootMode(), "pxe_interface": pxe},
		"hostname": hostname,
	}
}

func bootMode() string {
	if _, err := os.Stat("/sys/firmware/efi"); err == nil {
		return "uefi"
	}
	return "bios"
}
