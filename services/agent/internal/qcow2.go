package agent

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

const (
	qcow2Magic          = 0x514649fb
	qcow2OffsetMask     = 0x00fffffffffffe00
	qcow2CompressedFlag = uint64(1) << 62
	qcow2ZeroFlag       = uint64(1)
)

// IsQcow2 tells whether the file starts with qcow2's magic.
func IsQcow2(path string) bool {
	file, err := os.Open(path)
	if err != nil {
		return false
	}
	defer file.Close()
	var magic uint32
	return binary.Read(file, binary.BigEndian, &magic) == nil && magic == qcow2Magic
}

// WriteQcow2 writes a qcow2 image's guest contents to the device: allocated clusters are
// copied, unallocated and zero clusters are written as zeros. Backing files, encryption and
// compressed clusters are refused.
func WriteQcow2(imagePath string, device *os.File) (int64, error) {
	image, err := os.Open(imagePath)
	if err != nil {
		return 0, err
	}
	defer image.Close()
	header := make([]byte, 72)
	if _, err := io.ReadFull(image, header); err != nil {
		return 0, fmt.Errorf("reading the qcow2 header: %w", err)
	}
	be := binary.BigEndian
	if be.Uint32(header[0:]) != qcow2Magic {
		return 0, fmt.Errorf("not a qcow2 image")
	}
	version := be.Uint32(header[4:])
	if version != 2 && version != 3 {
		return 0, fmt.Errorf("qcow2 version %d is not supported", version)
	}
	if be.Uint64(header[8:]) != 0 {
		return 0, fmt.Errorf("qcow2 images with a backing file are not supported")
	}
	clusterBits := be.Uint32(header[20:])
	virtualSize := int64(be.Uint64(header[24:]))
	if be.Uint32(header[32:]) != 0 {
		return 0, fmt.Errorf("encrypted qcow2 images are not supported")
	}
	l1Size := be.Uint32(header[36:])
	l1Offset := int64(be.Uint64(header[40:]))
	if clusterBits < 9 || clusterBits > 21 {
		return 0, fmt.Errorf("qcow2 cluster size 2^%d is not supported", clusterBits)
	}
	clusterSize := int64(1) << clusterBits
	l2Entries := clusterSize / 8
	if deviceSizeOf(device) < virtualSize {
		return 0, fmt.Errorf("the image (%d bytes) is larger than the disk", virtualSize)
	}
	l1 := make([]uint64, l1Size)
	if _, err := image.Seek(l1Offset, io.SeekStart); err != nil {
		return 0, err
	}
	if err := binary.Read(image, be, l1); err != nil {
		return 0, fmt.Errorf("reading the L1 table: %w", err)
	}
	cluster := make([]byte, clusterSize)
	zeros := make([]byte, clusterSize)
	l2 := make([]uint64, l2Entries)
	for l1Index, l1Entry := range l1 {
		base := int64(l1Index) * l2Entries * clusterSize
		if base >= virtualSize {
			break
		}
		l2Offset := int64(l1Entry & qcow2OffsetMask)
		if l2Offset == 0 {
			for i := range l2 {
				l2[i] = 0
			}
		} else {
			if _, err := image.Seek(l2Offset, io.SeekStart); err != nil {
				return 0, err
			}
			if err := binary.Read(image, be, l2); err != nil {
				return 0, fmt.Errorf("reading an L2 table: %w", err)
			}
		}
		for l2Index, entry := range l2 {
			guest := base + int64(l2Index)*clusterSize
			if guest >= virtualSize {
				break
			}
			length := clusterSize
			if guest+length > virtualSize {
				length = virtualSize - guest
			}
			if entry&qcow2CompressedFlag != 0 {
				return 0, fmt.Errorf("compressed qcow2 clusters are not supported")
			}
			host := int64(entry & qcow2OffsetMask)
			data := zeros[:length]
			if host != 0 && entry&qcow2ZeroFlag == 0 {
				if _, err := image.ReadAt(cluster[:length], host); err != nil {
					return 0, fmt.Errorf("reading a cluster: %w", err)
				}
				data = cluster[:length]
			}
			if _, err := device.WriteAt(data, guest); err != nil {
				return 0, err
			}
		}
	}
	return virtualSize, nil
}

func deviceSizeOf(file *os.File) int64 {
	size, err := file.Seek(0, io.SeekEnd)
	if err != nil {
		return 0
	}
	return size
}
