package agent

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

const mib = 1024 * 1024

// deviceSize is a block device's or image file's size in bytes.
func deviceSize(path string) (int64, error) {
	file, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	return file.Seek(0, io.SeekEnd)
}

// matchesHint tells whether a disk satisfies one of Ironic's root device hints. Sizes are in
// GiB; a text hint may carry Ironic's "s==" operator.
func matchesHint(disk Disk, key string, want interface{}) bool {
	text := strings.TrimSpace(strings.TrimPrefix(fmt.Sprint(want), "s=="))
	switch key {
	case "size":
		gib, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(text, "==")), 64)
		return err == nil && disk.Size/(1024*1024*1024) == int64(gib)
	case "name":
		return disk.Name == text || disk.Name == "/dev/"+text
	case "model":
		return disk.Model == text
	case "vendor":
		return disk.Vendor == text
	case "serial":
		return disk.Serial == text
	case "wwn":
		return disk.WWN == text
	case "rotational":
		return fmt.Sprint(disk.Rotational) == strings.ToLower(text)
	}
	return false
}

// RootDevice picks the disk to write: the one every root device hint matches, else the
// smallest disk (Ironic's choice without hints).
func (a *Agent) RootDevice(hints map[string]interface{}) (Disk, error) {
	disks := a.Disks()
	sort.SliceStable(disks, func(i, j int) bool { return disks[i].Size < disks[j].Size })
	for _, disk := range disks {
		ok := true
		for key, want := range hints {
			if !matchesHint(disk, key, want) {
				ok = false
				break
			}
		}
		if ok {
			return disk, nil
		}
	}
	if len(hints) > 0 {
		return Disk{}, fmt.Errorf("no disk matches the root device hints %v (disks: %d)", hints, len(disks))
	}
	return Disk{}, fmt.Errorf("no disk found to write to")
}

// zeroRange writes zeros over [offset, offset+length) of the device.
func zeroRange(file *os.File, offset, length int64) error {
	zeros := make([]byte, mib)
	for length > 0 {
		n := int64(len(zeros))
		if length < n {
			n = length
		}
		if _, err := file.WriteAt(zeros[:n], offset); err != nil {
			return err
		}
		offset += n
		length -= n
	}
	return nil
}

// openDevice opens a disk for writing and tells its size.
func openDevice(path string) (*os.File, int64, error) {
	file, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, 0, err
	}
	size, err := file.Seek(0, io.SeekEnd)
	if err != nil {
		file.Close()
		return nil, 0, err
	}
	return file, size, nil
}

// EraseMetadata wipes what identifies a disk's partitions and file systems: its first and last
// MiB (MBR, GPT and its backup, most superblocks).
func EraseMetadata(path string) error {
	file, size, err := openDevice(path)
	if err != nil {
		return err
	}
	defer file.Close()
	head := int64(mib)
	if size < head {
		head = size
	}
	if err := zeroRange(file, 0, head); err != nil {
		return err
	}
	if size > head {
		tail := int64(mib)
		if size-head < tail {
			tail = size - head
		}
		if err := zeroRange(file, size-tail, tail); err != nil {
			return err
		}
	}
	return file.Sync()
}

// EraseAll overwrites the whole disk with zeros.
func EraseAll(path string) error {
	file, size, err := openDevice(path)
	if err != nil {
		return err
	}
	defer file.Close()
	if err := zeroRange(file, 0, size); err != nil {
		return err
	}
	return file.Sync()
}

// AddConfigDrivePartition writes a config drive at the end of an MBR disk, in a new primary
// partition, as Ironic Python Agent does for whole-disk images.
func AddConfigDrivePartition(path string, drive []byte) (int, error) {
	file, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	size, err := file.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	mbr := make([]byte, 512)
	if _, err := file.ReadAt(mbr, 0); err != nil {
		return 0, err
	}
	if mbr[510] != 0x55 || mbr[511] != 0xaa {
		return 0, fmt.Errorf("the image has no MBR partition table to add the config drive to")
	}
	slot, lastEnd := -1, int64(2048)
	for i := 0; i < 4; i++ {
		entry := mbr[446+16*i : 446+16*(i+1)]
		kind := entry[4]
		if kind == 0xee {
			return 0, fmt.Errorf("GPT disks are not supported for config drives by this agent")
		}
		start := int64(binary.LittleEndian.Uint32(entry[8:]))
		count := int64(binary.LittleEndian.Uint32(entry[12:]))
		if kind == 0 && count == 0 {
			if slot < 0 {
				slot = i
			}
			continue
		}
		if start+count > lastEnd {
			lastEnd = start + count
		}
	}
	if slot < 0 {
		return 0, fmt.Errorf("the image has no free primary partition for the config drive")
	}
	sectors := (int64(len(drive)) + 511) / 512
	// 1 MiB-aligned, at the end of the disk.
	start := (size/512 - sectors) / 2048 * 2048
	if start < lastEnd {
		return 0, fmt.Errorf("no room after the image's partitions for a %d-byte config drive", len(drive))
	}
	if _, err := file.WriteAt(drive, start*512); err != nil {
		return 0, err
	}
	entry := mbr[446+16*slot : 446+16*(slot+1)]
	for i := range entry {
		entry[i] = 0
	}
	// CHS fields marked as LBA-only; type 0x83 (Linux), as IPA creates it.
	copy(entry[1:4], []byte{0xfe, 0xff, 0xff})
	entry[4] = 0x83
	copy(entry[5:8], []byte{0xfe, 0xff, 0xff})
	binary.LittleEndian.PutUint32(entry[8:], uint32(start))
	binary.LittleEndian.PutUint32(entry[12:], uint32(sectors))
	if _, err := file.WriteAt(mbr, 0); err != nil {
		return 0, err
	}
	return slot + 1, file.Sync()
}
