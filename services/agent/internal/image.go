package agent

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// ImageInfo is what standby.prepare_image gets, in Ironic's names.
type ImageInfo struct {
	ID          string                 `json:"id"`
	URLs        []string               `json:"urls"`
	DiskFormat  string                 `json:"disk_format"`
	Checksum    string                 `json:"checksum"`
	OSHashAlgo  string                 `json:"os_hash_algo"`
	OSHashValue string                 `json:"os_hash_value"`
	RootDevice  map[string]interface{} `json:"root_device"`
}

func newHash(algorithm string) (hash.Hash, error) {
	switch strings.ToLower(algorithm) {
	case "md5":
		return md5.New(), nil
	case "sha1":
		return sha1.New(), nil
	case "sha256":
		return sha256.New(), nil
	case "sha384":
		return sha512.New384(), nil
	case "sha512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("unsupported checksum algorithm %q", algorithm)
}

// expectedDigest is the algorithm and hex value the image must match: os_hash_* when given,
// else the legacy checksum (whose length tells its algorithm, as Ironic guesses it).
func (info ImageInfo) expectedDigest() (string, string, error) {
	if info.OSHashAlgo != "" && info.OSHashValue != "" {
		return info.OSHashAlgo, strings.ToLower(info.OSHashValue), nil
	}
	value := strings.ToLower(strings.TrimSpace(info.Checksum))
	switch len(value) {
	case 32:
		return "md5", value, nil
	case 64:
		return "sha256", value, nil
	case 128:
		return "sha512", value, nil
	}
	return "", "", fmt.Errorf("the image %s has no usable checksum", info.ID)
}

var httpClient = &http.Client{Timeout: 30 * time.Minute}

// download fetches the image into a temporary file and verifies it before anything is written.
func (a *Agent) download(info ImageInfo) (string, error) {
	if len(info.URLs) == 0 {
		return "", fmt.Errorf("the image %s has no URL", info.ID)
	}
	algorithm, want, err := info.expectedDigest()
	if err != nil {
		return "", err
	}
	digest, err := newHash(algorithm)
	if err != nil {
		return "", err
	}
	response, err := httpClient.Get(info.URLs[0])
	if err != nil {
		return "", fmt.Errorf("downloading the image from %s: %w", info.URLs[0], err)
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return "", fmt.Errorf("downloading the image from %s: HTTP %d", info.URLs[0], response.StatusCode)
	}
	file, err := os.CreateTemp(a.cfg.TempDir, "galvanic-image-")
	if err != nil {
		return "", err
	}
	defer file.Close()
	if _, err := io.Copy(io.MultiWriter(file, digest), response.Body); err != nil {
		os.Remove(file.Name())
		return "", fmt.Errorf("downloading the image from %s: %w", info.URLs[0], err)
	}
	got := hex.EncodeToString(digest.Sum(nil))
	if got != want {
		os.Remove(file.Name())
		return "", fmt.Errorf("image checksum mismatch for %s: expected %s %s, got %s; nothing was written",
			info.URLs[0], algorithm, want, got)
	}
	return file.Name(), nil
}

// writeImage writes a verified image file to the device: qcow2 converted, raw copied.
func writeImage(imagePath, format, devicePath string) (int64, error) {
	device, err := os.OpenFile(devicePath, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer device.Close()
	if format == "qcow2" || (format == "" && IsQcow2(imagePath)) {
		if !IsQcow2(imagePath) {
			return 0, fmt.Errorf("the image is not in the qcow2 format its disk_format says")
		}
		written, err := WriteQcow2(imagePath, device)
		if err != nil {
			return 0, err
		}
		return written, device.Sync()
	}
	image, err := os.Open(imagePath)
	if err != nil {
		return 0, err
	}
	defer image.Close()
	info, _ := image.Stat()
	if info != nil && info.Size() > deviceSizeOf(device) {
		return 0, fmt.Errorf("the image (%d bytes) is larger than the disk", info.Size())
	}
	if _, err := device.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	written, err := io.Copy(device, image)
	if err != nil {
		return 0, err
	}
	return written, device.Sync()
}

// configDrive decodes Ironic's config drive: a URL to fetch, or base64 of a (gzipped) ISO.
func configDrive(value string) ([]byte, error) {
	var data []byte
	if strings.HasPrefix(value, "http://") || strings.HasPrefix(value, "https://") {
		response, err := httpClient.Get(value)
		if err != nil {
			return nil, fmt.Errorf("downloading the config drive: %w", err)
		}
		defer response.Body.Close()
		if response.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("downloading the config drive: HTTP %d", response.StatusCode)
		}
		if data, err = io.ReadAll(response.Body); err != nil {
			return nil, err
		}
	} else {
		decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
		if err != nil {
			return nil, fmt.Errorf("the config drive is not base64: %w", err)
		}
		data = decoded
	}
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		reader, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if data, err = io.ReadAll(reader); err != nil {
			return nil, fmt.Errorf("the config drive is not valid gzip: %w", err)
		}
	}
	return data, nil
}

// PrepareImage is standby.prepare_image: download, verify, write the image to the root
// device, then the config drive.
func (a *Agent) PrepareImage(params map[string]interface{}) (interface{}, error) {
	var info ImageInfo
	if err := remarshal(params["image_info"], &info); err != nil {
		return nil, fmt.Errorf("bad image_info: %w", err)
	}
	root, err := a.RootDevice(info.RootDevice)
	if err != nil {
		return nil, err
	}
	a.logf("downloading image %s for %s", info.ID, root.Name)
	path, err := a.download(info)
	if err != nil {
		return nil, err
	}
	defer os.Remove(path)
	written, err := writeImage(path, info.DiskFormat, root.Name)
	if err != nil {
		return nil, fmt.Errorf("writing the image to %s: %w", root.Name, err)
	}
	a.logf("wrote %d bytes to %s", written, root.Name)
	message := fmt.Sprintf("image %s written to device %s", info.ID, root.Name)
	if value, _ := params["configdrive"].(string); value != "" {
		drive, err := configDrive(value)
		if err != nil {
			return nil, err
		}
		partition, err := AddConfigDrivePartition(root.Name, drive)
		if err != nil {
			return nil, fmt.Errorf("writing the config drive: %w", err)
		}
		message += fmt.Sprintf("; config drive written to partition %d", partition)
	}
	return map[string]interface{}{"message": message, "root_device": root.Name}, nil
}
