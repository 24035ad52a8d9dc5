package main

// Integration tests: a real homevisitd ($HOMEVISITD) behind the gateway, called as a REST client,
// a gRPC-Web client and a Connect client would call it.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	hv "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

var (
	homevisitdBin string
	testWork      string
	gatewayURL    string
	adminToken    string
	dotToken      string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bin := os.Getenv("HOMEVISITD")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "gateway tests: set HOMEVISITD to a homevisitd binary")
		return 1
	}
	work, err := os.MkdirTemp("", "gateway-test")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(work)
	homevisitdBin, testWork = bin, work
	address, token, stop, err := startHomevisitd("plain")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stop()
	adminToken = token

	static := filepath.Join(work, "static")
	_ = os.Mkdir(static, 0o755)
	_ = os.WriteFile(filepath.Join(static, "index.html"), []byte("<title>consola</title>"), 0o644)
	proxy, err := newBackendProxy(address, "")
	if err != nil {
		panic(err)
	}
	handler, err := newGateway(proxy, http.FileServer(http.Dir(static)))
	if err != nil {
		panic(err)
	}
	server := httptest.NewServer(handler)
	defer server.Close()
	gatewayURL = server.URL

	var created struct{ Token string }
	if status := rest("POST", "/v1/credentials", adminToken,
		`{"credential": {"principal": "dot-test", "role": "ROLE_DOT_OPERATOR"}}`, &created); status != 200 {
		fmt.Fprintf(os.Stderr, "CreateCredential through REST answered %d\n", status)
		return 1
	}
	dotToken = created.Token
	return m.Run()
}

// startHomevisitd starts a homevisitd on a free loopback port with its own database in
// testWork/NAME; it returns the address, the admin's token and a stop function.
func startHomevisitd(name string, args ...string) (string, string, func(), error) {
	dir := filepath.Join(testWork, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", nil, err
	}
	cmd := exec.Command(homevisitdBin, append([]string{"--listen", "127.0.0.1:0", "--db", "sqlite:" + filepath.Join(dir, "t.db"),
		"--admin_token_file", filepath.Join(dir, "admin.token"), "--log_level", "warning"}, args...)...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", "", nil, err
	}
	stop := func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }
	line, err := bufio.NewReader(stdout).ReadString('\n')
	address, ok := strings.CutPrefix(strings.TrimSpace(line), "homevisitd listening on ")
	if err != nil || !ok {
		stop()
		return "", "", nil, fmt.Errorf("homevisitd did not start: %q %v", line, err)
	}
	token, err := os.ReadFile(filepath.Join(dir, "admin.token"))
	if err != nil {
		stop()
		return "", "", nil, err
	}
	return address, strings.TrimSpace(string(token)), stop, nil
}

// rest calls the gateway's REST surface and decodes the JSON answer into out; it returns the
// HTTP status.
func rest(method, path, token, body string, out any) int {
	req, _ := http.NewRequest(method, gatewayURL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			panic(fmt.Sprintf("%s %s: %v in %s", method, path, err, data))
		}
	}
	return resp.StatusCode
}

func intake(requestID string) string {
	day := time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02")
	return fmt.Sprintf(`{"request_id": %q, "service_order": {
	  "file_number": "EXP-300100",
	  "subscriber": {"given_name": "Laura", "family_name": "Méndez", "email": "laura.mendez@example.com"},
	  "address": {"street": "Av. Insurgentes Sur", "exterior_number": "1602", "colonia": "Crédito Constructor",
	              "delegacion": "Benito Juárez", "postal_code": "03100"},
	  "requested_window": {"start_time": "%sT16:00:00Z", "end_time": "%sT18:00:00Z"},
	  "receiver": {"name": "Laura Méndez", "phone": "5512345678"},
	  "problem_description": "La señal de Wi-Fi no llega a las recámaras.",
	  "charge": "CHARGE_FREE"}}`, requestID, day, day)
}

type order struct {
	Name, State, FileNumber string
}

func TestRESTIntakeGetAndRetry(t *testing.T) {
	var created, again, got order
	if status := rest("POST", "/v1/serviceOrders", dotToken, intake("rest-0001"), &created); status != 200 {
		t.Fatalf("POST /v1/serviceOrders: HTTP %d", status)
	}
	if !strings.HasPrefix(created.Name, "serviceOrders/") || created.State != "STATE_REQUESTED" {
		t.Fatalf("created %+v", created)
	}
	rest("POST", "/v1/serviceOrders", dotToken, intake("rest-0001"), &again)
	if again.Name != created.Name {
		t.Errorf("a retry with the same request_id made %s, want %s", again.Name, created.Name)
	}
	if status := rest("GET", "/v1/"+created.Name, dotToken, "", &got); status != 200 || got.FileNumber != "EXP-300100" {
		t.Errorf("GET /v1/%s: HTTP %d, %+v", created.Name, status, got)
	}
	var list struct{ ServiceOrders []order }
	rest("GET", "/v1/serviceOrders?file_number=EXP-300100&page_size=5", dotToken, "", &list)
	if len(list.ServiceOrders) == 0 || list.ServiceOrders[0].FileNumber != "EXP-300100" {
		t.Errorf("GET /v1/serviceOrders?file_number=...: %+v", list)
	}
}

type restError struct {
	Code    int
	Message string
	Details []map[string]any
}

func TestRESTErrorsCarryStatusAndDetails(t *testing.T) {
	var e restError
	if status := rest("GET", "/v1/serviceOrders", "", "", &e); status != 401 || e.Code != 16 {
		t.Errorf("no token: HTTP %d, %+v; want 401 UNAUTHENTICATED", status, e)
	}
	e = restError{}
	status := rest("POST", "/v1/serviceOrders", dotToken,
		`{"request_id": "bad-1", "service_order": {"file_number": "EXP-1", "subscriber": {"email": "laura@"}}}`, &e)
	if status != 400 || e.Code != 3 {
		t.Fatalf("bad intake: HTTP %d, %+v; want 400 INVALID_ARGUMENT", status, e)
	}
	var fields []string
	for _, d := range e.Details {
		if d["@type"] == "type.googleapis.com/google.rpc.BadRequest" {
			for _, v := range d["fieldViolations"].([]any) {
				fields = append(fields, v.(map[string]any)["field"].(string))
			}
		}
	}
	if !strings.Contains(strings.Join(fields, " "), "service_order.subscriber.email") {
		t.Errorf("field violations %v do not name service_order.subscriber.email", fields)
	}
}

func TestGRPCWebAndConnectUnary(t *testing.T) {
	for name, opt := range map[string]connect.ClientOption{"grpc-web": connect.WithGRPCWeb(), "connect": connect.WithProtoJSON()} {
		t.Run(name, func(t *testing.T) {
			create := connect.NewClient[hv.CreateServiceOrderRequest, hv.ServiceOrder](http.DefaultClient,
				gatewayURL+"/homevisit.v1.ServiceOrderService/CreateServiceOrder", opt)
			var req hv.CreateServiceOrderRequest
			var raw struct {
				ServiceOrder json.RawMessage `json:"service_order"`
			}
			_ = json.Unmarshal([]byte(intake("x")), &raw)
			req.RequestId = "rpc-" + name
			req.ServiceOrder = &hv.ServiceOrder{}
			if err := protojsonUnmarshal(raw.ServiceOrder, req.ServiceOrder); err != nil {
				t.Fatal(err)
			}
			r := connect.NewRequest(&req)
			r.Header().Set("Authorization", "Bearer "+dotToken)
			resp, err := create.CallUnary(context.Background(), r)
			if err != nil {
				t.Fatalf("CreateServiceOrder: %v", err)
			}
			if resp.Msg.GetState() != hv.ServiceOrder_STATE_REQUESTED {
				t.Errorf("state %v", resp.Msg.GetState())
			}
			// Without the token the backend refuses, and the code comes back as such.
			_, err = create.CallUnary(context.Background(), connect.NewRequest(&req))
			if connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Errorf("without a token: %v, want unauthenticated", err)
			}
			var ce *connect.Error
			if errors.As(err, &ce) {
				found := false
				for _, d := range ce.Details() {
					if v, _ := d.Value(); v != nil {
						if info, ok := v.(*errdetails.ErrorInfo); ok && info.GetReason() == "NO_CREDENTIALS" {
							found = true
						}
					}
				}
				if !found {
					t.Errorf("no ErrorInfo NO_CREDENTIALS in %v", ce.Details())
				}
			}
		})
	}
}

func TestWatchEventsStreamsThroughTheGateway(t *testing.T) {
	files := map[string]string{"grpc-web": "EXP-300201", "connect": "EXP-300202"}
	for name, opt := range map[string]connect.ClientOption{"grpc-web": connect.WithGRPCWeb(), "connect": connect.WithProtoJSON()} {
		t.Run(name, func(t *testing.T) {
			file := files[name]
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			watch := connect.NewClient[hv.WatchEventsRequest, hv.WatchEventsResponse](http.DefaultClient,
				gatewayURL+"/homevisit.v1.EventService/WatchEvents", opt)
			r := connect.NewRequest(&hv.WatchEventsRequest{FileNumber: file})
			r.Header().Set("Authorization", "Bearer "+dotToken)
			// The order is made after the watch started (homevisitd sends the stream's headers
			// with its first event, so the call returns only then): only a live stream reports it.
			made := make(chan int, 1)
			go func() {
				time.Sleep(500 * time.Millisecond)
				body := strings.Replace(intake("watch-"+name), "EXP-300100", file, 1)
				made <- rest("POST", "/v1/serviceOrders", dotToken, body, nil)
			}()
			stream, err := watch.CallServerStream(ctx, r)
			if err != nil {
				t.Fatalf("WatchEvents: %v", err)
			}
			defer stream.Close()
			if !stream.Receive() {
				t.Fatalf("stream ended: %v", stream.Err())
			}
			ev := stream.Msg().GetEvent()
			if ev.GetType() != hv.Event_TYPE_ORDER_CREATED || ev.GetFileNumber() != file {
				t.Errorf("first event %v", ev)
			}
			if status := <-made; status != 200 {
				t.Errorf("intake answered HTTP %d", status)
			}
		})
	}
}

func TestStaticFilesAndUnknownPaths(t *testing.T) {
	resp, err := http.Get(gatewayURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "consola") {
		t.Errorf("GET /: %d %q", resp.StatusCode, body)
	}
	resp, err = http.Get(gatewayURL + "/no-such-file.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /no-such-file.js: %d, want 404", resp.StatusCode)
	}
}

func TestOpenAPIDocumentDescribesTheRESTSurface(t *testing.T) {
	var doc struct {
		Swagger string
		Paths   map[string]map[string]struct{ OperationID string }
	}
	resp, err := http.Get(gatewayURL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Swagger != "2.0" {
		t.Errorf("swagger %q", doc.Swagger)
	}
	if got := doc.Paths["/v1/serviceOrders"]["post"].OperationID; got != "ServiceOrderService_CreateServiceOrder" {
		t.Errorf("POST /v1/serviceOrders is %q", got)
	}
	// Every rule the gateway serves is in the document.
	rules, err := restRules()
	if err != nil {
		t.Fatal(err)
	}
	operations := map[string]bool{}
	for _, methods := range doc.Paths {
		for _, op := range methods {
			operations[op.OperationID] = true
		}
	}
	for _, r := range rules {
		parts := strings.Split(r.GetSelector(), ".")
		id := parts[len(parts)-2] + "_" + parts[len(parts)-1]
		if !operations[id] {
			t.Errorf("%s is not in the OpenAPI document", id)
		}
	}
	if !operations["EventService_WatchEvents"] {
		t.Errorf("WatchEvents (its Connect path) is not in the OpenAPI document")
	}
}
