package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeCert makes a certificate for 127.0.0.1 signed by parent (self-signed when parent is nil,
// then usable as a CA) and writes NAME.pem and NAME.key into dir.
func writeCert(t *testing.T, dir, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	write := func(file, kind string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, file), pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: data}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(name+".pem", "CERTIFICATE", der)
	write(name+".key", "EC PRIVATE KEY", keyDER)
	cert, _ := x509.ParseCertificate(der)
	return cert, key
}

// The gateway speaks TLS to a homevisitd that serves TLS, and the caller's token still decides.
func TestTLSToTheBackend(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := writeCert(t, dir, "ca", nil, nil)
	writeCert(t, dir, "server", ca, caKey)
	writeCert(t, dir, "other-ca", nil, nil)
	address, admin, stop, err := startHomevisitd("tls", "--tls_cert", filepath.Join(dir, "server.pem"), "--tls_key", filepath.Join(dir, "server.key"))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	call := func(caFile, token string) (int, map[string]any) {
		proxy, err := newBackendProxy(address, caFile)
		if err != nil {
			t.Fatal(err)
		}
		handler, err := newGateway(proxy, nil)
		if err != nil {
			t.Fatal(err)
		}
		server := httptest.NewTLSServer(handler) // the gateway's own side over TLS too
		defer server.Close()
		req, _ := http.NewRequest("GET", server.URL+"/v1/credentials", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}

	if status, body := call(filepath.Join(dir, "ca.pem"), admin); status != 200 || body["credentials"] == nil {
		t.Errorf("over TLS as the admin: HTTP %d %v", status, body)
	}
	if status, body := call(filepath.Join(dir, "ca.pem"), "hv_wrong"); status != 401 {
		t.Errorf("over TLS with a wrong token: HTTP %d %v, want 401", status, body)
	}
	// A backend whose certificate the gateway cannot verify is unavailable, not trusted.
	if status, body := call(filepath.Join(dir, "other-ca.pem"), admin); status != 503 || body["message"] != "homevisitd is unreachable from the gateway" {
		t.Errorf("backend signed by an unknown CA: HTTP %d %v, want 503", status, body)
	}
}
