package agent

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Agent is one running agent: its configuration, its node once found, and its commands.
type Agent struct {
	cfg      Config
	commands commandLog
	mu       sync.Mutex
	token    string
	nodeUUID string
	started  time.Time
	callback string
	rescued  bool
}

// New makes an agent from its configuration.
func New(cfg Config) *Agent { return &Agent{cfg: cfg, started: time.Now()} }

func (a *Agent) logf(format string, args ...interface{}) {
	fmt.Printf("galvanic-agent: "+format+"\n", args...)
}

// apiVersion is the microversion the agent speaks: tokens (1.62) and agent_verify_ca (1.68).
const apiVersion = "1.68"

// inspectionVersion is needed for /v1/continue_inspection.
const inspectionVersion = "1.84"

func (a *Agent) apiCall(method, path, version string, body interface{}) (int, []byte, error) {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		reader = bytes.NewReader(data)
	}
	request, err := http.NewRequest(method, a.cfg.APIURL+path, reader)
	if err != nil {
		return 0, nil, err
	}
	request.Header.Set("X-OpenStack-Ironic-API-Version", version)
	request.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: 30 * time.Second}
	response, err := client.Do(request)
	if err != nil {
		return 0, nil, err
	}
	defer response.Body.Close()
	data, err := io.ReadAll(response.Body)
	return response.StatusCode, data, err
}

// lookupAnswer is the part of a lookup's answer the agent uses.
type lookupAnswer struct {
	Node struct {
		UUID string `json:"uuid"`
	} `json:"node"`
	Config struct {
		HeartbeatTimeout float64 `json:"heartbeat_timeout"`
		AgentToken       *string `json:"agent_token"`
	} `json:"config"`
}

func (a *Agent) adopt(answer lookupAnswer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.nodeUUID = answer.Node.UUID
	// A masked token means another lookup got it first: keep ours if we have one.
	if answer.Config.AgentToken != nil && *answer.Config.AgentToken != "******" {
		a.token = *answer.Config.AgentToken
	}
}

// inspect posts the inventory to the inspection callback until it is taken.
func (a *Agent) inspect(ctx context.Context) {
	for ctx.Err() == nil {
		status, body, err := a.apiCallTo(a.cfg.InspectionCallbackURL, map[string]interface{}{"inventory": a.Inventory()})
		if err == nil && status < 300 {
			var answer lookupAnswer
			if json.Unmarshal(body, &answer) == nil && answer.Node.UUID != "" {
				a.adopt(answer)
			}
			a.logf("inventory posted for inspection")
			return
		}
		a.logf("inspection callback: status %d, %v: %s", status, err, strings.TrimSpace(string(body)))
		sleep(ctx, a.cfg.LookupInterval)
	}
}

func (a *Agent) apiCallTo(target string, body interface{}) (int, []byte, error) {
	data, _ := json.Marshal(body)
	request, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(data))
	if err != nil {
		return 0, nil, err
	}
	request.Header.Set("X-OpenStack-Ironic-API-Version", inspectionVersion)
	request.Header.Set("Content-Type", "application/json")
	response, err := (&http.Client{Timeout: 30 * time.Second}).Do(request)
	if err != nil {
		return 0, nil, err
	}
	defer response.Body.Close()
	answer, err := io.ReadAll(response.Body)
	return response.StatusCode, answer, err
}

// lookup asks the API for this machine's node until it answers.
func (a *Agent) lookup(ctx context.Context) time.Duration {
	macs := []string{}
	for _, nic := range a.Interfaces() {
		macs = append(macs, nic.MACAddress)
	}
	path := "/v1/lookup?addresses=" + url.QueryEscape(strings.Join(macs, ","))
	for ctx.Err() == nil {
		status, body, err := a.apiCall(http.MethodGet, path, apiVersion, nil)
		if err == nil && status == http.StatusOK {
			var answer lookupAnswer
			if err := json.Unmarshal(body, &answer); err == nil {
				a.adopt(answer)
				a.logf("looked up node %s", answer.Node.UUID)
				interval := time.Duration(answer.Config.HeartbeatTimeout/3*1000) * time.Millisecond
				if interval < time.Second {
					interval = time.Second
				}
				return interval
			}
		}
		a.logf("lookup: status %d, %v", status, err)
		sleep(ctx, a.cfg.LookupInterval)
	}
	return 0
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// heartbeat tells the API the agent is alive and where it answers commands.
func (a *Agent) heartbeat() {
	a.mu.Lock()
	uuid, token, callback := a.nodeUUID, a.token, a.callback
	a.mu.Unlock()
	status, body, err := a.apiCall(http.MethodPost, "/v1/heartbeat/"+uuid, apiVersion, map[string]interface{}{
		"callback_url": callback, "agent_version": Version, "agent_token": token,
	})
	if err != nil || status != http.StatusAccepted {
		a.logf("heartbeat: status %d, %v: %s", status, err, strings.TrimSpace(string(body)))
	}
}

func (a *Agent) validToken(given string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(a.token), []byte(given)) == 1
}

func writeJSON(w http.ResponseWriter, status int, value interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(value)
}

func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]interface{}{"type": http.StatusText(status), "code": status,
		"message": message, "details": ""})
}

// Handler is the agent's command API (IPA's /v1/commands and /v1/status).
func (a *Agent) Handler() http.Handler {
	handlers := a.handlers()
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]interface{}{"started_at": a.started.Unix(), "version": Version})
	})
	mux.HandleFunc("/v1/commands/", func(w http.ResponseWriter, r *http.Request) {
		if !a.validToken(r.URL.Query().Get("agent_token")) {
			writeError(w, http.StatusUnauthorized, "Token invalid.")
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/v1/commands/")
		switch {
		case r.Method == http.MethodGet && id == "":
			writeJSON(w, http.StatusOK, map[string]interface{}{"commands": a.commands.snapshot()})
		case r.Method == http.MethodGet:
			if command, ok := a.commands.get(id); ok {
				writeJSON(w, http.StatusOK, command)
			} else {
				writeError(w, http.StatusNotFound, "Command "+id+" not found.")
			}
		case r.Method == http.MethodPost && id == "":
			var request struct {
				Name   string                 `json:"name"`
				Params map[string]interface{} `json:"params"`
			}
			if err := json.NewDecoder(io.LimitReader(r.Body, 64<<20)).Decode(&request); err != nil {
				writeError(w, http.StatusBadRequest, "Invalid command body: "+err.Error())
				return
			}
			fn, ok := handlers[request.Name]
			if !ok {
				writeError(w, http.StatusBadRequest, "Unknown command: "+request.Name)
				return
			}
			command, err := a.commands.run(request.Name, fn, request.Params)
			if err != nil {
				writeError(w, http.StatusConflict, err.Error())
				return
			}
			if wait, _ := strconv.ParseBool(r.URL.Query().Get("wait")); wait {
				<-command.done
			}
			current, _ := a.commands.get(command.ID)
			writeJSON(w, http.StatusOK, current)
		default:
			writeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
		}
	})
	return mux
}

// Run serves commands, posts the inventory when inspecting, looks the node up and heartbeats
// until ctx ends.
func (a *Agent) Run(ctx context.Context) error {
	listener, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return err
	}
	port := listener.Addr().(*net.TCPAddr).Port
	if a.cfg.AdvertisePort != 0 {
		port = a.cfg.AdvertisePort
	}
	host := a.cfg.AdvertiseHost
	if host == "" {
		host = advertisedAddress()
	}
	a.callback = fmt.Sprintf("http://%s", net.JoinHostPort(host, strconv.Itoa(port)))
	server := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = server.Serve(listener) }()
	defer server.Close()
	a.logf("%s serving commands at %s, API %s", Version, a.callback, a.cfg.APIURL)
	if a.cfg.InspectionCallbackURL != "" {
		a.inspect(ctx)
	}
	interval := a.lookup(ctx)
	for ctx.Err() == nil && a.heartbeating() {
		a.heartbeat()
		sleep(ctx, interval)
	}
	if ctx.Err() == nil {
		a.logf("heartbeats stopped: the machine is rescued")
	}
	<-ctx.Done()
	return nil
}

// advertisedAddress is the first non-loopback IPv4 address, where the conductor can call back.
func advertisedAddress() string {
	addrs, _ := net.InterfaceAddrs()
	for _, addr := range addrs {
		if ipnet, ok := addr.(*net.IPNet); ok && !ipnet.IP.IsLoopback() && ipnet.IP.To4() != nil {
			return ipnet.IP.String()
		}
	}
	return "127.0.0.1"
}
