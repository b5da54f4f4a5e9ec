package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lurescan/lurescan/model/defaultmodel"
)

func TestServeFlagValidation(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"bad addr", []string{"--addr", "nonsense"}, nil},
		{"tiny body", []string{"--max-body", "10"}, nil},
		{"zero batch", []string{"--max-batch", "0"}, nil},
		{"negative timeout", []string{"--read-timeout", "-1s"}, nil},
		{"bad env number", nil, map[string]string{"LURESCAN_MAX_BATCH": "many"}},
		{"bad env duration", nil, map[string]string{"LURESCAN_IDLE_TIMEOUT": "soon"}},
		{"short admin token", nil, map[string]string{"LURESCAN_ADMIN_TOKEN": "short"}},
		{"bad log level", []string{"--log-level", "loud"}, nil},
		{"stray argument", []string{"extra"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, _, errs := runCLI(t, "", append([]string{"serve"}, tt.args...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, errs)
			}
		})
	}
	t.Setenv("LURESCAN_ADDR", "127.0.0.1:9")
	t.Setenv("LURESCAN_MAX_BATCH", "7")
	c, err := parseServeFlags(nil, io.Discard)
	if err != nil || c.addr != "127.0.0.1:9" || c.api.MaxBatch != 7 {
		t.Errorf("environment defaults: %+v %v", c, err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeEndToEnd starts the real binary, scores, reloads a good and a
// corrupt model (by HTTP and by SIGHUP), then shuts it down with SIGTERM
// under load and checks that no request failed.
func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "lurescan")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	modelPath := filepath.Join(dir, "m.model")
	good := defaultmodel.Artifact()
	if err := os.WriteFile(modelPath, good, 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	token := "e2e-admin-token-0123456789"
	var logs bytes.Buffer
	cmd := exec.Command(bin, "serve", "--addr", addr, "--model", modelPath, "--shutdown-delay", "400ms")
	cmd.Env = append(os.Environ(), "LURESCAN_ADMIN_TOKEN="+token)
	cmd.Stdout = &syncWriter{w: &logs}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()
	base := "http://" + addr
	client := &http.Client{Timeout: 10 * time.Second}
	waitFor(t, func() bool {
		resp, err := client.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})

	score := func() (int, map[string]any) {
		resp, err := client.Post(base+"/v1/score", "application/json", strings.NewReader(`{"posting":`+jsonQuote(lureText)+`}`))
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		var v map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	if code, v := score(); code != 200 || v["band"] == nil {
		t.Fatalf("score: %d %v", code, v)
	}
	reload := func() int {
		req, _ := http.NewRequest("POST", base+"/admin/reload", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := reload(); code != 200 {
		t.Errorf("good reload: %d", code)
	}
	if err := os.WriteFile(modelPath, good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if code := reload(); code != 422 {
		t.Errorf("corrupt reload: %d", code)
	}
	_ = cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, func() bool {
		return metricValue(t, client, base, `lurescan_model_reloads_total{result="failure"}`) == 2
	})
	if code, _ := score(); code != 200 {
		t.Errorf("score after corrupt reloads: %d", code)
	}
	if err := os.WriteFile(modelPath, good, 0o644); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, func() bool {
		return metricValue(t, client, base, `lurescan_model_reloads_total{result="success"}`) == 3
	})

	// Load, then SIGTERM: readiness fails first; the load stops when it
	// sees that (as a load balancer would); nothing in flight fails.
	var stop atomic.Bool
	var sent, failed atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				code, _ := score()
				sent.Add(1)
				if code != 200 {
					failed.Add(1)
				}
			}
		}()
	}
	sawNotReady := make(chan struct{})
	go func() {
		for {
			resp, err := client.Get(base + "/readyz")
			if err == nil {
				resp.Body.Close()
			}
			if err != nil || resp.StatusCode == 503 {
				stop.Store(true)
				if err == nil {
					close(sawNotReady)
				}
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	wg.Wait()
	select {
	case <-sawNotReady:
	default:
		t.Error("readiness never failed before the listener closed")
	}
	if sent.Load() < 10 || failed.Load() != 0 {
		t.Errorf("%d requests under load, %d failed", sent.Load(), failed.Load())
	}
	out := logs.String()
	for _, want := range []string{`"msg":"serving"`, `"msg":"model reload failed"`, `"msg":"shutting down"`, `"msg":"stopped"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	if strings.Contains(out, "hr_mina77") {
		t.Error("advert text in the log")
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func jsonQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for !ok() {
		select {
		case <-ctx.Done():
			t.Fatal("timed out waiting")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func metricValue(t *testing.T, client *http.Client, base, series string) float64 {
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, series+" ") {
			var v float64
			fmt.Sscan(strings.TrimPrefix(line, series+" "), &v)
			return v
		}
	}
	return -1
}
