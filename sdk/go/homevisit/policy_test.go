package homevisit

// Unit tests of the thin layer's policies: no server, a fake invoker stands in for the wire.

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/emptypb"

	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

const (
	getOrder    = "/homevisit.v1.ServiceOrderService/GetServiceOrder"
	listOrders  = "/homevisit.v1.ServiceOrderService/ListServiceOrders"
	createOrder = "/homevisit.v1.ServiceOrderService/CreateServiceOrder"
	cancelOrder = "/homevisit.v1.ServiceOrderService/CancelServiceOrder"
	book        = "/homevisit.v1.SchedulingService/BookAppointment"
	checkAvail  = "/homevisit.v1.SchedulingService/CheckAvailability"

	renderScript     = "/homevisit.v1.VisitService/RenderScript"
	checkIn          = "/homevisit.v1.VisitService/CheckIn"
	createCredential = "/homevisit.v1.CredentialService/CreateCredential"
	revokeCredential = "/homevisit.v1.CredentialService/RevokeCredential"
)

var fastPolicy = RetryPolicy{MaxAttempts: 4, InitialBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, Multiplier: 2}

// withReason builds a status error carrying an ErrorInfo, as the server sends them.
func withReason(c codes.Code, reason string) error {
	st, err := status.New(c, "x").WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: "homevisit.izzi.mx"})
	if err != nil {
		panic(err)
	}
	return st.Err()
}

// callThrough runs one call through RetryInterceptor; the fake invoker answers errs in turn
// (then success) and counts the attempts.
func callThrough(t *testing.T, method string, req any, errs ...error) (attempts int, err error) {
	t.Helper()
	invoker := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, opts ...grpc.CallOption) error {
		attempts++
		if attempts <= len(errs) {
			return errs[attempts-1]
		}
		return nil
	}
	err = RetryInterceptor(fastPolicy)(context.Background(), method, req, &emptypb.Empty{}, nil, invoker)
	return attempts, err
}

// expectedReads and expectedDeduplicated list every unary method of homevisit.v1 by kind, as
// sdk/README.md has them: a method the protos add must be placed in one of them (or be
// CreateCredential-like and listed in neverRetried).
var (
	expectedReads = []string{"CheckAvailability", "GetChecklistTemplate", "GetHold", "GetProgramMetrics", "GetServiceOrder",
		"GetTechnician", "GetVisitReport", "GetVisitReportDocument", "ListCredentials", "ListEvents", "ListHolds", "ListServiceOrders", "ListTechnicians",
		"ListVisitReports", "RenderScript"}
	expectedDeduplicated = []string{"BookAppointment", "CancelServiceOrder", "CaptureSignature", "CheckIn",
		"CompleteVisit", "CreateHold", "CreateServiceOrder", "CreateTechnician", "DeactivateTechnician",
		"ReassignAppointment", "RecordConference", "RecordConfirmationCall", "RecordDiagnosis",
		"RecordFollowUpCall", "RecordHandOver", "RecordOutcome", "ReleaseHold", "RequestEscalation",
		"RescheduleAppointment", "RevokeCredential", "UpdateServiceOrder", "UpdateTechnician"}
)

// unaryMethods returns every unary method of the homevisit.v1 services, by full gRPC name,
// with an empty request message of its input type.
func unaryMethods(t *testing.T) map[string]proto.Message {
	t.Helper()
	methods := map[string]proto.Message{}
	protoregistry.GlobalFiles.RangeFilesByPackage("homevisit.v1", func(f protoreflect.FileDescriptor) bool {
		for i := range f.Services().Len() {
			s := f.Services().Get(i)
			for j := range s.Methods().Len() {
				m := s.Methods().Get(j)
				if m.IsStreamingClient() || m.IsStreamingServer() {
					continue
				}
				input, err := protoregistry.GlobalTypes.FindMessageByName(m.Input().FullName())
				if err != nil {
					t.Fatalf("%s: %v", m.Input().FullName(), err)
				}
				methods["/"+string(s.FullName())+"/"+string(m.Name())] = input.New().Interface()
			}
		}
		return true
	})
	if len(methods) < len(expectedReads)+len(expectedDeduplicated)+1 {
		t.Fatalf("found only %d unary methods in homevisit.v1", len(methods))
	}
	return methods
}

func TestEveryMethodClassified(t *testing.T) {
	var reads, deduplicated, others []string
	for method, req := range unaryMethods(t) {
		name := methodName(method)
		switch {
		case IsRead(method):
			reads = append(reads, name)
			if !IsIdempotent(method, req) {
				t.Errorf("read %s not idempotent", name)
			}
		case requestIDField(req.ProtoReflect()) != nil:
			deduplicated = append(deduplicated, name)
			if IsIdempotent(method, req) {
				t.Errorf("%s with an empty request_id counts as idempotent", name)
			}
			if filled := WithRequestID(req); !IsIdempotent(method, filled) {
				t.Errorf("%s with a filled request_id (%v) not idempotent", name, filled)
			}
		default:
			others = append(others, name)
			if IsIdempotent(method, WithRequestID(req)) {
				t.Errorf("%s, a write without request_id, counts as idempotent", name)
			}
		}
	}
	slices.Sort(reads)
	slices.Sort(deduplicated)
	if !slices.Equal(reads, expectedReads) {
		t.Errorf("reads %v, want %v", reads, expectedReads)
	}
	if !slices.Equal(deduplicated, expectedDeduplicated) {
		t.Errorf("writes with a request_id %v, want %v", deduplicated, expectedDeduplicated)
	}
	if !slices.Equal(others, []string{"CreateCredential"}) {
		t.Errorf("writes without a request_id %v, want only CreateCredential", others)
	}
}

func TestIsIdempotent(t *testing.T) {
	cases := []struct {
		method string
		req    any
		want   bool
	}{
		{getOrder, &homevisitv1.GetServiceOrderRequest{}, true},
		{listOrders, &homevisitv1.ListServiceOrdersRequest{}, true},
		{checkAvail, &homevisitv1.CheckAvailabilityRequest{}, true},
		{renderScript, &homevisitv1.RenderScriptRequest{}, true},
		{getOrder, nil, true},
		{createOrder, &homevisitv1.CreateServiceOrderRequest{RequestId: "r-1"}, true},
		{createOrder, &homevisitv1.CreateServiceOrderRequest{}, false},
		{book, &homevisitv1.BookAppointmentRequest{RequestId: "b-1"}, true},
		{book, &homevisitv1.BookAppointmentRequest{}, false},
		{cancelOrder, &homevisitv1.CancelServiceOrderRequest{Name: "serviceOrders/1", RequestId: "c-1"}, true},
		{cancelOrder, &homevisitv1.CancelServiceOrderRequest{Name: "serviceOrders/1"}, false},
		{checkIn, &homevisitv1.CheckInRequest{RequestId: "v-1"}, true},
		{revokeCredential, &homevisitv1.RevokeCredentialRequest{RequestId: "k-1"}, true},
		{createCredential, &homevisitv1.CreateCredentialRequest{}, false},
		{createOrder, nil, false},
		{"/x.Y/DoSomething", &emptypb.Empty{}, false},
	}
	for _, c := range cases {
		if got := IsIdempotent(c.method, c.req); got != c.want {
			t.Errorf("IsIdempotent(%s, %v) = %v, want %v", c.method, c.req, got, c.want)
		}
	}
}

// TestRetryableErrors is the table of sdk/README.md, row by row, for a read and for a write
// without a request id of its own (the interceptor gives it one).
func TestRetryableErrors(t *testing.T) {
	cases := []struct {
		code   codes.Code
		reason string
		retry  bool
	}{
		{codes.Unavailable, "", true},
		{codes.Unavailable, "ANYTHING", true},
		{codes.Aborted, "", true},
		{codes.Aborted, "CONCURRENT_UPDATE", true},
		{codes.Aborted, "SERIALIZATION_FAILURE", true},
		{codes.Aborted, "ETAG_MISMATCH", false},
		{codes.Aborted, "SLOT_TAKEN", false},
		{codes.ResourceExhausted, "SERVER_BUSY", true},
		{codes.ResourceExhausted, "", false},
		{codes.ResourceExhausted, "QUOTA_EXCEEDED", false},
		{codes.DeadlineExceeded, "", false},
		{codes.Internal, "", false},
		{codes.Unknown, "", false},
		{codes.Canceled, "", false},
		{codes.InvalidArgument, "INVALID_FIELDS", false},
		{codes.FailedPrecondition, "", false},
		{codes.NotFound, "", false},
		{codes.AlreadyExists, "REQUEST_ID_REUSED", false},
		{codes.PermissionDenied, "ROLE_NOT_ALLOWED", false},
		{codes.Unauthenticated, "NO_CREDENTIALS", false},
		{codes.Unimplemented, "", false},
	}
	for _, c := range cases {
		e := status.Error(c.code, "x")
		if c.reason != "" {
			e = withReason(c.code, c.reason)
		}
		if got := IsRetryableError(e); got != c.retry {
			t.Errorf("IsRetryableError(%v %s) = %v, want %v", c.code, c.reason, got, c.retry)
		}
		want := 1
		if c.retry {
			want = 2
		}
		for _, call := range []struct {
			method string
			req    any
		}{
			{getOrder, &homevisitv1.GetServiceOrderRequest{}},
			{cancelOrder, &homevisitv1.CancelServiceOrderRequest{Name: "serviceOrders/1"}},
		} {
			attempts, err := callThrough(t, call.method, call.req, e)
			if attempts != want || (c.retry && err != nil) || (!c.retry && status.Code(err) != c.code) {
				t.Errorf("%s after %v %s: attempts=%d err=%v, want %d attempts", methodName(call.method), c.code, c.reason,
					attempts, err, want)
			}
		}
	}
	if IsRetryableError(nil) || IsRetryableError(errors.New("plain")) {
		t.Error("nil and non-status errors are not retryable")
	}
}

func TestRetriesUnavailableForIdempotentCalls(t *testing.T) {
	unavailable := status.Error(codes.Unavailable, "down")
	attempts, err := callThrough(t, getOrder, &homevisitv1.GetServiceOrderRequest{}, unavailable, unavailable)
	if err != nil || attempts != 3 {
		t.Fatalf("Get: attempts=%d err=%v, want 3 attempts and success", attempts, err)
	}
	attempts, err = callThrough(t, createOrder, &homevisitv1.CreateServiceOrderRequest{RequestId: "r-1"}, unavailable)
	if err != nil || attempts != 2 {
		t.Fatalf("Create with request_id: attempts=%d err=%v, want 2 and success", attempts, err)
	}
	for _, c := range []struct {
		method string
		req    any
	}{
		{createOrder, &homevisitv1.CreateServiceOrderRequest{}},
		{cancelOrder, &homevisitv1.CancelServiceOrderRequest{}},
		{book, &homevisitv1.BookAppointmentRequest{}},
		{checkIn, &homevisitv1.CheckInRequest{}},
		{revokeCredential, &homevisitv1.RevokeCredentialRequest{}},
	} {
		attempts, err = callThrough(t, c.method, c.req, unavailable, unavailable, unavailable)
		if err != nil || attempts != 4 {
			t.Errorf("%s without request_id: attempts=%d err=%v, want 4 and success (the SDK gives it an id)",
				methodName(c.method), attempts, err)
		}
	}
}

func TestRequestIDFilledOnACopy(t *testing.T) {
	var sent []*homevisitv1.CancelServiceOrderRequest
	invoker := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, opts ...grpc.CallOption) error {
		sent = append(sent, req.(*homevisitv1.CancelServiceOrderRequest))
		if len(sent) < 3 {
			return status.Error(codes.Unavailable, "down")
		}
		return nil
	}
	mine := &homevisitv1.CancelServiceOrderRequest{Name: "serviceOrders/1", Reason: "r", Etag: "e"}
	before := proto.Clone(mine)
	if err := RetryInterceptor(fastPolicy)(context.Background(), cancelOrder, mine, &emptypb.Empty{}, nil, invoker); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(mine, before) || mine.GetRequestId() != "" {
		t.Fatalf("the caller's message changed: %v", mine)
	}
	if len(sent) != 3 {
		t.Fatalf("%d attempts, want 3", len(sent))
	}
	id, err := uuid.Parse(sent[0].GetRequestId())
	if err != nil || id.Version() != 4 || id.Variant() != uuid.RFC4122 || id.String() != sent[0].GetRequestId() {
		t.Fatalf("request_id %q is not a UUID v4 (%v)", sent[0].GetRequestId(), err)
	}
	for i, s := range sent {
		if s.GetRequestId() != sent[0].GetRequestId() || s.GetName() != mine.GetName() || s.GetEtag() != mine.GetEtag() {
			t.Fatalf("attempt %d sent %v, want the same request as attempt 1 (%v)", i+1, s, sent[0])
		}
		a, _ := proto.Marshal(s)
		b, _ := proto.Marshal(sent[0])
		if !slices.Equal(a, b) {
			t.Fatalf("attempt %d sent other bytes than attempt 1", i+1)
		}
	}

	// Another call gets another id; a caller's own id is kept and its message sent as is.
	sent = nil
	_ = RetryInterceptor(fastPolicy)(context.Background(), cancelOrder, mine, &emptypb.Empty{}, nil, invoker)
	if len(sent) == 0 || sent[0].GetRequestId() == "" {
		t.Fatal("second call: no request_id")
	}
	first := sent[0].GetRequestId()
	sent = nil
	_ = RetryInterceptor(fastPolicy)(context.Background(), cancelOrder, mine, &emptypb.Empty{}, nil, invoker)
	if sent[0].GetRequestId() == first {
		t.Fatalf("two calls shared request_id %s", first)
	}
	own := &homevisitv1.CancelServiceOrderRequest{Name: "serviceOrders/1", RequestId: "my-own-id"}
	sent = nil
	_ = RetryInterceptor(fastPolicy)(context.Background(), cancelOrder, own, &emptypb.Empty{}, nil, invoker)
	for _, s := range sent {
		if s != own {
			t.Fatalf("a request with its own id was copied or changed: %v", s)
		}
	}

	// Retries off: the id is filled all the same.
	sent = nil
	_ = RetryInterceptor(RetryPolicy{MaxAttempts: 1})(context.Background(), cancelOrder, mine, &emptypb.Empty{}, nil, invoker)
	if len(sent) != 1 || sent[0].GetRequestId() == "" {
		t.Fatalf("with MaxAttempts 1: %d attempts, request %v; want 1 attempt with a request_id", len(sent), sent)
	}

	// Messages without the field, and non-messages, pass untouched.
	empty := &emptypb.Empty{}
	if WithRequestID(empty) != any(empty) || WithRequestID(nil) != nil || WithRequestID("x") != "x" {
		t.Fatal("WithRequestID changed a request without request_id")
	}
	credential := &homevisitv1.CreateCredentialRequest{}
	if WithRequestID(credential) != any(credential) {
		t.Fatal("WithRequestID changed a CreateCredentialRequest")
	}
}

func TestCreateCredentialNeverRetried(t *testing.T) {
	for _, e := range []error{status.Error(codes.Unavailable, "down"), withReason(codes.Aborted, "CONCURRENT_UPDATE"),
		withReason(codes.ResourceExhausted, "SERVER_BUSY")} {
		attempts, err := callThrough(t, createCredential, &homevisitv1.CreateCredentialRequest{}, e, e, e)
		if attempts != 1 || status.Code(err) != status.Code(e) {
			t.Errorf("CreateCredential after %v: attempts=%d err=%v, want 1 attempt", e, attempts, err)
		}
	}
	if ShouldRetry(createCredential, &homevisitv1.CreateCredentialRequest{}, status.Error(codes.Unavailable, "down")) {
		t.Error("ShouldRetry(CreateCredential) = true")
	}
}

func TestNeverRetriesWritesWithoutRequestID(t *testing.T) {
	unavailable := status.Error(codes.Unavailable, "down")
	// A write whose message has no request_id field (no such homevisit method but CreateCredential).
	attempts, err := callThrough(t, "/x.Y/DoSomething", &emptypb.Empty{}, unavailable)
	if attempts != 1 || status.Code(err) != codes.Unavailable {
		t.Errorf("write without request_id: attempts=%d err=%v, want 1 attempt", attempts, err)
	}
}

func TestAbortedRetriedOnlyWhenTransientAndIdempotent(t *testing.T) {
	attempts, err := callThrough(t, getOrder, &homevisitv1.GetServiceOrderRequest{}, withReason(codes.Aborted, "SERIALIZATION_FAILURE"))
	if err != nil || attempts != 2 {
		t.Errorf("Get after SERIALIZATION_FAILURE: attempts=%d err=%v, want 2 and success", attempts, err)
	}
	attempts, err = callThrough(t, book, &homevisitv1.BookAppointmentRequest{RequestId: "b-1"}, withReason(codes.Aborted, "SLOT_TAKEN"))
	if attempts != 1 || Reason(err) != "SLOT_TAKEN" {
		t.Errorf("Book after SLOT_TAKEN: attempts=%d err=%v, want 1 attempt (a retry cannot win)", attempts, err)
	}
}

func TestOtherCodesAndAttemptLimit(t *testing.T) {
	attempts, err := callThrough(t, getOrder, &homevisitv1.GetServiceOrderRequest{}, status.Error(codes.NotFound, "no"))
	if attempts != 1 || status.Code(err) != codes.NotFound {
		t.Errorf("NOT_FOUND: attempts=%d err=%v, want 1", attempts, err)
	}
	u := status.Error(codes.Unavailable, "down")
	attempts, err = callThrough(t, getOrder, &homevisitv1.GetServiceOrderRequest{}, u, u, u, u, u, u)
	if attempts != fastPolicy.MaxAttempts || status.Code(err) != codes.Unavailable {
		t.Errorf("always UNAVAILABLE: attempts=%d err=%v, want %d then UNAVAILABLE", attempts, err, fastPolicy.MaxAttempts)
	}
	if DefaultRetryPolicy.MaxAttempts != 4 {
		t.Errorf("DefaultRetryPolicy.MaxAttempts = %d, want 4", DefaultRetryPolicy.MaxAttempts)
	}
}

func TestBackoffBounds(t *testing.T) {
	// Before retry n: uniformly random in [0, min(2 s, 100 ms * 2^(n-1))].
	for n, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond,
		3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: 1600 * time.Millisecond, 6: 2 * time.Second,
		7: 2 * time.Second, 40: 2 * time.Second} {
		low, high := ceiling, time.Duration(0)
		for range 2000 {
			b := DefaultRetryPolicy.Backoff(n)
			if b < 0 || b > ceiling {
				t.Fatalf("Backoff(%d) = %v, want in [0, %v]", n, b, ceiling)
			}
			low, high = min(low, b), max(high, b)
		}
		// Full jitter: the draws spread over the whole range (each bound fails with p = 0.9^2000).
		if low > ceiling/10 || high < ceiling*9/10 {
			t.Errorf("Backoff(%d) drew only from [%v, %v] of [0, %v]", n, low, high, ceiling)
		}
	}
	p := RetryPolicy{MaxAttempts: 10, InitialBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, Multiplier: 2}
	for n := 1; n <= 10; n++ {
		for range 50 {
			if b := p.Backoff(n); b < 0 || b > time.Second {
				t.Fatalf("Backoff(%d) = %v, want in [0, 1s]", n, b)
			}
		}
	}
	if b := (RetryPolicy{}).Backoff(1); b != 0 {
		t.Fatalf("zero policy: Backoff(1) = %v, want 0", b)
	}
}

func TestTimeoutInterceptorAddsDeadlineOnlyWhenMissing(t *testing.T) {
	var got time.Time
	var had bool
	invoker := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, opts ...grpc.CallOption) error {
		got, had = ctx.Deadline()
		return nil
	}
	start := time.Now()
	_ = TimeoutInterceptor(3*time.Second)(context.Background(), getOrder, nil, nil, nil, invoker)
	if !had || got.Sub(start) < 2*time.Second || got.Sub(start) > 4*time.Second {
		t.Fatalf("default deadline: had=%v in %v, want about 3s", had, got.Sub(start))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	own, _ := ctx.Deadline()
	_ = TimeoutInterceptor(3*time.Second)(ctx, getOrder, nil, nil, nil, invoker)
	if !got.Equal(own) {
		t.Fatalf("caller's deadline replaced: got %v, want %v", got, own)
	}
}

func TestBearerTokenMetadata(t *testing.T) {
	var auth []string
	invoker := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, opts ...grpc.CallOption) error {
		md, _ := metadata.FromOutgoingContext(ctx)
		auth = md.Get("authorization")
		return nil
	}
	_ = bearerUnary("s3cr3t")(context.Background(), getOrder, nil, nil, nil, invoker)
	if !slices.Equal(auth, []string{"Bearer s3cr3t"}) {
		t.Fatalf("authorization metadata = %q, want [Bearer s3cr3t]", auth)
	}
}

func TestErrorDetails(t *testing.T) {
	st, err := status.New(codes.InvalidArgument, "bad").WithDetails(
		&errdetails.ErrorInfo{Reason: "INVALID_FIELDS"},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "service_order.subscriber.email", Description: "not an email"}}})
	if err != nil {
		t.Fatal(err)
	}
	e := st.Err()
	if Reason(e) != "INVALID_FIELDS" || !slices.Equal(ViolatedFields(e), []string{"service_order.subscriber.email"}) {
		t.Fatalf("Reason=%q fields=%v", Reason(e), ViolatedFields(e))
	}
	if FieldViolations(errors.New("plain")) != nil || Reason(nil) != "" {
		t.Fatal("non-status errors must have no details")
	}
}

func TestDialRejectsContradictoryOptions(t *testing.T) {
	if _, err := Dial("127.0.0.1:1", WithInsecure(), WithTLS(TLSConfig{})); err == nil {
		t.Fatal("WithInsecure and WithTLS together must fail")
	}
	if _, err := Dial("127.0.0.1:1", WithTLS(TLSConfig{RootCertsPEM: []byte("not pem")})); err == nil {
		t.Fatal("bad root certificates must fail")
	}
}

func TestRetryStopsBeforeTheDeadline(t *testing.T) {
	attempts := 0
	invoker := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, opts ...grpc.CallOption) error {
		attempts++
		return status.Error(codes.Unavailable, "down")
	}
	slow := RetryPolicy{MaxAttempts: 10, InitialBackoff: time.Hour, MaxBackoff: time.Hour, Multiplier: 1}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := RetryInterceptor(slow)(ctx, getOrder, &homevisitv1.GetServiceOrderRequest{}, nil, nil, invoker)
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("err = %v, want the UNAVAILABLE that caused the give-up", err)
	}
	if attempts > 2 {
		t.Fatalf("%d attempts: a backoff beyond the deadline must not be waited for", attempts)
	}
}
