package homevisit_test

// Tests against a live homevisitd that TestMain starts on a free port with a throwaway SQLite
// database and the demo data. The binary: $HOMEVISITD, else build/server/homevisitd of the
// repository (scripts/test-sdks.sh builds it).
//
// The server requires a bearer token on every call. It writes its first admin token to
// --admin_token_file (in the test's temporary directory); TestMain reads it and has the admin
// issue a DOT operator and a dispatcher credential. dial() calls as the DOT operator.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/izzi-drwifi/homevisit/sdk/go/homevisit"
	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

var (
	serverAddress    string
	adminToken       string // may only manage credentials
	dotOperatorToken string
	dispatcherToken  string
)

func TestMain(m *testing.M) {
	os.Exit(runWithServer(m))
}

func runWithServer(m *testing.M) int {
	bin := os.Getenv("HOMEVISITD")
	if bin == "" {
		bin = filepath.Join("..", "..", "..", "build", "server", "homevisitd")
	}
	if _, err := os.Stat(bin); err != nil {
		fmt.Fprintf(os.Stderr, "live tests need homevisitd (%v): run scripts/build.sh or set HOMEVISITD\n", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "homevisit-go-sdk")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	adminTokenFile := filepath.Join(dir, "admin.token")
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0", "--db", "sqlite:"+filepath.Join(dir, "x.db"), "--demo",
		"--admin_token_file", adminTokenFile)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "start homevisitd:", err)
		return 1
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if address, ok := strings.CutPrefix(lines.Text(), "homevisitd listening on "); ok {
				found <- address
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout) // keep the pipe drained
	}()
	select {
	case serverAddress = <-found:
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "homevisitd did not print its address within 30 s")
		return 1
	}
	adminTokenBytes, err := os.ReadFile(adminTokenFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "admin token:", err)
		return 1
	}
	adminToken = strings.TrimSpace(string(adminTokenBytes))
	for _, issue := range []struct {
		role  homevisitv1.Role
		token *string
	}{
		{homevisitv1.Role_ROLE_DOT_OPERATOR, &dotOperatorToken},
		{homevisitv1.Role_ROLE_DISPATCHER, &dispatcherToken},
	} {
		if *issue.token, err = issueToken(adminToken, issue.role); err != nil {
			fmt.Fprintf(os.Stderr, "issue a %v credential: %v\n", issue.role, err)
			return 1
		}
	}
	return m.Run()
}

// issueToken has the admin create a credential of role and returns its token (shown only here).
func issueToken(adminToken string, role homevisitv1.Role) (string, error) {
	admin, err := homevisit.Dial(serverAddress, homevisit.WithInsecure(), homevisit.WithToken(adminToken))
	if err != nil {
		return "", err
	}
	defer admin.Close()
	issued, err := admin.Credentials.CreateCredential(context.Background(), &homevisitv1.CreateCredentialRequest{
		Credential: &homevisitv1.Credential{Principal: "go-sdk-" + strings.ToLower(role.String()), Role: role}})
	if err != nil {
		return "", err
	}
	return issued.GetToken(), nil
}

func dial(t *testing.T, opts ...homevisit.Option) *homevisit.Client {
	t.Helper()
	c, err := homevisit.Dial(serverAddress, append([]homevisit.Option{homevisit.WithInsecure(), homevisit.WithToken(dotOperatorToken)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

var unique atomic.Int64

// uniqueID keeps tests independent within the one server: distinct request ids and files.
func uniqueID(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano(), unique.Add(1))
}

func validOrder(fileNumber string) *homevisitv1.ServiceOrder {
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	return &homevisitv1.ServiceOrder{
		FileNumber: fileNumber,
		Subscriber: &homevisitv1.Subscriber{GivenName: "Laura", FamilyName: "Méndez", Email: "laura.mendez@example.com"},
		Address: &homevisitv1.Address{Street: "Calle Durango", ExteriorNumber: "245", Colonia: "Roma Norte",
			Delegacion: "Cuauhtémoc", PostalCode: "06700"},
		RequestedWindow:    &homevisitv1.TimeWindow{StartTime: timestamppb.New(start), EndTime: timestamppb.New(start.Add(2 * time.Hour))},
		Receiver:           &homevisitv1.Receiver{Name: "Laura Méndez", Phone: "5512345678"},
		ProblemDescription: "La señal de Wi-Fi no llega a las recámaras.",
		Charge:             homevisitv1.ServiceOrder_CHARGE_FREE,
	}
}

func create(t *testing.T, c *homevisit.Client, fileNumber string) *homevisitv1.ServiceOrder {
	t.Helper()
	order, err := c.ServiceOrders.CreateServiceOrder(context.Background(), &homevisitv1.CreateServiceOrderRequest{
		RequestId: uniqueID("req"), ServiceOrder: validOrder(fileNumber)})
	if err != nil {
		t.Fatalf("CreateServiceOrder: %v", err)
	}
	return order
}

func TestIntakeHappyPath(t *testing.T) {
	c := dial(t)
	file := uniqueID("EXP")
	order := create(t, c, file)
	if !strings.HasPrefix(order.GetName(), "serviceOrders/") || order.GetState() != homevisitv1.ServiceOrder_STATE_REQUESTED ||
		order.GetEtag() == "" || order.GetFileNumber() != file || order.GetSubscriber().GetEmail() != "laura.mendez@example.com" {
		t.Fatalf("unexpected order: %v", order)
	}
}

func TestInvalidIntakeExposesFieldViolations(t *testing.T) {
	c := dial(t)
	bad := validOrder(uniqueID("EXP"))
	bad.Subscriber.Email = "laura@"
	bad.Address.PostalCode = "ABC"
	_, err := c.ServiceOrders.CreateServiceOrder(context.Background(), &homevisitv1.CreateServiceOrderRequest{
		RequestId: uniqueID("req"), ServiceOrder: bad})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("code = %v (%v), want InvalidArgument", status.Code(err), err)
	}
	fields := homevisit.ViolatedFields(err)
	for _, want := range []string{"service_order.subscriber.email", "service_order.address.postal_code"} {
		if !slices.Contains(fields, want) {
			t.Errorf("field violations %v lack %s", fields, want)
		}
	}
	if homevisit.Reason(err) == "" {
		t.Errorf("no ErrorInfo reason in %v", err)
	}
	for _, v := range homevisit.FieldViolations(err) {
		if v.GetDescription() == "" {
			t.Errorf("violation of %s has no description", v.GetField())
		}
	}
}

func TestRetryWithSameRequestIDReturnsSameOrder(t *testing.T) {
	c := dial(t)
	file := uniqueID("EXP")
	req := &homevisitv1.CreateServiceOrderRequest{RequestId: uniqueID("req"), ServiceOrder: validOrder(file)}
	first, err := c.ServiceOrders.CreateServiceOrder(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.ServiceOrders.CreateServiceOrder(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if again.GetName() != first.GetName() {
		t.Fatalf("retry created %s, want the first order %s", again.GetName(), first.GetName())
	}
	list, err := c.ServiceOrders.ListServiceOrders(context.Background(), &homevisitv1.ListServiceOrdersRequest{FileNumber: file})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetServiceOrders()) != 1 {
		t.Fatalf("file %s has %d orders, want 1", file, len(list.GetServiceOrders()))
	}
}

func TestGetAndListWithPagination(t *testing.T) {
	c := dial(t)
	file := uniqueID("EXP")
	var created []string
	for range 3 {
		created = append(created, create(t, c, file).GetName())
	}
	got, err := c.ServiceOrders.GetServiceOrder(context.Background(), &homevisitv1.GetServiceOrderRequest{Name: created[0]})
	if err != nil || got.GetName() != created[0] || got.GetFileNumber() != file {
		t.Fatalf("GetServiceOrder(%s) = %v, %v", created[0], got, err)
	}
	var listed []string
	token := ""
	pages := 0
	for {
		resp, err := c.ServiceOrders.ListServiceOrders(context.Background(),
			&homevisitv1.ListServiceOrdersRequest{FileNumber: file, PageSize: 2, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(resp.GetServiceOrders()) > 2 {
			t.Fatalf("page of %d orders, want at most 2", len(resp.GetServiceOrders()))
		}
		for _, o := range resp.GetServiceOrders() {
			listed = append(listed, o.GetName())
		}
		if token = resp.GetNextPageToken(); token == "" {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	slices.Reverse(created) // newest first
	if pages != 2 || !slices.Equal(listed, created) {
		t.Fatalf("listed %v in %d pages, want %v in 2", listed, pages, created)
	}
	_, err = c.ServiceOrders.GetServiceOrder(context.Background(), &homevisitv1.GetServiceOrderRequest{Name: "serviceOrders/does-not-exist"})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("unknown order: %v, want NotFound", err)
	}
}

func TestCancelAndListEvents(t *testing.T) {
	c := dial(t)
	order := create(t, c, uniqueID("EXP"))
	cancelled, err := c.ServiceOrders.CancelServiceOrder(context.Background(), &homevisitv1.CancelServiceOrderRequest{
		Name: order.GetName(), Reason: "El suscriptor resolvió el problema", Etag: order.GetEtag()})
	if err != nil {
		t.Fatal(err)
	}
	if cancelled.GetState() != homevisitv1.ServiceOrder_STATE_CANCELLED ||
		cancelled.GetCancellation().GetReason() != "El suscriptor resolvió el problema" {
		t.Fatalf("after cancel: %v", cancelled)
	}
	// A stale etag is a conflict, and ABORTED on a cancel is not retried.
	_, err = c.ServiceOrders.CancelServiceOrder(context.Background(), &homevisitv1.CancelServiceOrderRequest{
		Name: order.GetName(), Reason: "otra vez", Etag: order.GetEtag()})
	if err == nil {
		t.Fatal("second cancel with the old etag succeeded")
	}
	events, err := c.Events.ListEvents(context.Background(), &homevisitv1.ListEventsRequest{ServiceOrder: order.GetName()})
	if err != nil {
		t.Fatal(err)
	}
	var types []homevisitv1.Event_Type
	for _, e := range events.GetEvents() {
		types = append(types, e.GetType())
	}
	if len(types) < 2 || types[0] != homevisitv1.Event_TYPE_ORDER_CREATED || types[len(types)-1] != homevisitv1.Event_TYPE_CANCELLED {
		t.Fatalf("event types %v, want the intake first and the cancellation last", types)
	}
}

func TestDefaultDeadlineApplied(t *testing.T) {
	// A peer that accepts the TCP connection but never speaks HTTP/2: without a deadline the
	// call would wait (WaitForReady) for about 20 s of connect timeout; the default ends it.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	hurried, err := homevisit.Dial(silent.Addr().String(), homevisit.WithInsecure(),
		homevisit.WithDefaultTimeout(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer hurried.Close()
	_, err = hurried.ServiceOrders.ListServiceOrders(context.Background(), &homevisitv1.ListServiceOrdersRequest{},
		grpc.WaitForReady(true))
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("silent peer: %v, want DeadlineExceeded", err)
	}
	// Against the live server, the caller's own deadline wins over a tiny default.
	c := dial(t, homevisit.WithDefaultTimeout(time.Nanosecond))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.ServiceOrders.ListServiceOrders(ctx, &homevisitv1.ListServiceOrdersRequest{}); err != nil {
		t.Fatalf("with the caller's 10 s deadline: %v", err)
	}
	if _, err := c.ServiceOrders.ListServiceOrders(context.Background(), &homevisitv1.ListServiceOrdersRequest{}); status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("with only the 1 ns default: %v, want DeadlineExceeded", err)
	}
}

func TestCallWithoutTokenIsUnauthenticated(t *testing.T) {
	anonymous, err := homevisit.Dial(serverAddress, homevisit.WithInsecure())
	if err != nil {
		t.Fatal(err)
	}
	defer anonymous.Close()
	_, err = anonymous.ServiceOrders.ListServiceOrders(context.Background(), &homevisitv1.ListServiceOrdersRequest{})
	if status.Code(err) != codes.Unauthenticated || homevisit.Reason(err) != "NO_CREDENTIALS" {
		t.Fatalf("without a token: %v (reason %q), want Unauthenticated NO_CREDENTIALS", err, homevisit.Reason(err))
	}
	if domain := homevisit.ErrorInfo(err).GetDomain(); domain != "homevisit.izzi.mx" {
		t.Errorf("ErrorInfo domain %q", domain)
	}
	// An unknown token is no better.
	_, err = dial(t, homevisit.WithToken("not-a-real-token")).ServiceOrders.ListServiceOrders(context.Background(),
		&homevisitv1.ListServiceOrdersRequest{})
	if status.Code(err) != codes.Unauthenticated || homevisit.Reason(err) != "INVALID_TOKEN" {
		t.Fatalf("unknown token: %v (reason %q), want Unauthenticated INVALID_TOKEN", err, homevisit.Reason(err))
	}
}

func TestDotOperatorMayNotCallDispatcherRPC(t *testing.T) {
	// CreateTechnician is the dispatcher's; the role is checked before the request is read.
	_, err := dial(t).Technicians.CreateTechnician(context.Background(), &homevisitv1.CreateTechnicianRequest{
		Technician: &homevisitv1.Technician{DisplayName: "Nadie"}})
	if status.Code(err) != codes.PermissionDenied || homevisit.Reason(err) != "ROLE_NOT_ALLOWED" {
		t.Fatalf("DOT operator's CreateTechnician: %v (reason %q), want PermissionDenied ROLE_NOT_ALLOWED",
			err, homevisit.Reason(err))
	}
	// The dispatcher may.
	list, err := dial(t, homevisit.WithToken(dispatcherToken)).Technicians.ListTechnicians(context.Background(),
		&homevisitv1.ListTechniciansRequest{})
	if err != nil {
		t.Fatalf("dispatcher's ListTechnicians: %v", err)
	}
	if !slices.ContainsFunc(list.GetTechnicians(), func(tech *homevisitv1.Technician) bool {
		return tech.GetName() == "technicians/demo-tech-1"
	}) {
		t.Fatalf("demo technicians missing from %v", list.GetTechnicians())
	}
}

// startDropReplyProxy starts sdk/testing/drop_reply_proxy.py in front of the live server and
// returns its address; t.Cleanup stops it. The proxy lets the server execute each write once
// and answers UNAVAILABLE instead of its reply; an identical repeat passes. The interpreter:
// $HOMEVISIT_PYTHON, else the repository's .deps/venv (scripts/install-deps.sh, with grpcio).
func startDropReplyProxy(t *testing.T) string {
	t.Helper()
	root := filepath.Join("..", "..", "..")
	python := os.Getenv("HOMEVISIT_PYTHON")
	if python == "" {
		python = filepath.Join(root, ".deps", "venv", "bin", "python")
	}
	if _, err := exec.LookPath(python); err != nil {
		t.Fatalf("the drop-reply proxy needs Python with grpcio (%v): run scripts/install-deps.sh or set HOMEVISIT_PYTHON", err)
	}
	portFile := filepath.Join(t.TempDir(), "proxy.address")
	var output strings.Builder
	cmd := exec.Command(python, filepath.Join(root, "sdk", "testing", "drop_reply_proxy.py"), serverAddress,
		"--port-file", portFile)
	cmd.Stdout = &output
	cmd.Stderr = &output
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the drop-reply proxy: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		select {
		case <-exited:
			t.Fatalf("the drop-reply proxy exited before listening: %s", output.String())
		case <-time.After(50 * time.Millisecond):
		}
		// The proxy writes "host:port\n" once listening; a partial write lacks the newline.
		if content, err := os.ReadFile(portFile); err == nil && strings.HasSuffix(string(content), "\n") {
			return strings.TrimSpace(string(content))
		}
	}
	t.Fatalf("the drop-reply proxy wrote no address within 30 s")
	return ""
}

// dialProxy dials the drop-reply proxy as the DOT operator.
func dialProxy(t *testing.T, proxy string, opts ...homevisit.Option) *homevisit.Client {
	t.Helper()
	c, err := homevisit.Dial(proxy, append([]homevisit.Option{homevisit.WithInsecure(), homevisit.WithToken(dotOperatorToken)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// ordersOfFile lists, straight from the server, the orders with fileNumber.
func ordersOfFile(t *testing.T, c *homevisit.Client, fileNumber string) []*homevisitv1.ServiceOrder {
	t.Helper()
	list, err := c.ServiceOrders.ListServiceOrders(context.Background(), &homevisitv1.ListServiceOrdersRequest{FileNumber: fileNumber})
	if err != nil {
		t.Fatal(err)
	}
	return list.GetServiceOrders()
}

// TestLostRepliesRetriedWithGeneratedRequestID is the shared test of sdk/README.md: writes with
// no request id of the caller's go through a proxy that loses each write's first reply; they
// succeed with the server's first answer and have one effect only because the SDK gave them a
// request id and retried with it.
func TestLostRepliesRetriedWithGeneratedRequestID(t *testing.T) {
	proxy := startDropReplyProxy(t)
	direct := dial(t)
	viaProxy := dialProxy(t, proxy)

	// (a) An intake: one order.
	file := uniqueID("EXP")
	createReq := &homevisitv1.CreateServiceOrderRequest{ServiceOrder: validOrder(file)}
	order, err := viaProxy.ServiceOrders.CreateServiceOrder(context.Background(), createReq)
	if err != nil {
		t.Fatalf("CreateServiceOrder through the proxy: %v", err)
	}
	if createReq.GetRequestId() != "" {
		t.Fatalf("the SDK wrote request_id %q into the caller's message", createReq.GetRequestId())
	}
	orders := ordersOfFile(t, direct, file)
	if len(orders) != 1 || orders[0].GetName() != order.GetName() {
		t.Fatalf("file %s has orders %v, want exactly the one returned (%s)", file, orders, order.GetName())
	}

	// (b) A cancellation: the first answer (CANCELLED), one event; a retry without the same
	// request id would have met a changed etag.
	const reason = "El suscriptor ya no necesita la visita"
	cancelled, err := viaProxy.ServiceOrders.CancelServiceOrder(context.Background(), &homevisitv1.CancelServiceOrderRequest{
		Name: order.GetName(), Reason: reason, Etag: order.GetEtag()})
	if err != nil {
		t.Fatalf("CancelServiceOrder through the proxy: %v", err)
	}
	if cancelled.GetState() != homevisitv1.ServiceOrder_STATE_CANCELLED || cancelled.GetCancellation().GetReason() != reason {
		t.Fatalf("after cancel: %v", cancelled)
	}
	events, err := direct.Events.ListEvents(context.Background(), &homevisitv1.ListEventsRequest{ServiceOrder: order.GetName()})
	if err != nil {
		t.Fatal(err)
	}
	cancellations := 0
	for _, e := range events.GetEvents() {
		if e.GetType() == homevisitv1.Event_TYPE_CANCELLED {
			cancellations++
		}
	}
	if cancellations != 1 {
		t.Fatalf("%d cancellation events for %s (%v), want 1", cancellations, order.GetName(), events.GetEvents())
	}
}

// TestDropReplyProxyLosesWritesWithoutRetry is the negative control: with retries off the
// proxy's lost reply reaches the caller, though the server did the work.
func TestDropReplyProxyLosesWritesWithoutRetry(t *testing.T) {
	proxy := startDropReplyProxy(t)
	noRetry := dialProxy(t, proxy, homevisit.WithRetryPolicy(homevisit.RetryPolicy{MaxAttempts: 1}))
	file := uniqueID("EXP")
	_, err := noRetry.ServiceOrders.CreateServiceOrder(context.Background(), &homevisitv1.CreateServiceOrderRequest{
		ServiceOrder: validOrder(file)})
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("CreateServiceOrder through the proxy without retries: %v, want Unavailable", err)
	}
	if orders := ordersOfFile(t, dial(t), file); len(orders) != 1 {
		t.Fatalf("file %s has %d orders, want the 1 the server created before its reply was lost", file, len(orders))
	}
	// Reads pass the proxy.
	if _, err := noRetry.ServiceOrders.ListServiceOrders(context.Background(),
		&homevisitv1.ListServiceOrdersRequest{FileNumber: file}); err != nil {
		t.Fatalf("a read through the proxy: %v", err)
	}
}
