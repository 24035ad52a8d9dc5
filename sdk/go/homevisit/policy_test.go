package homevisit

// Unit tests of the thin layer's policies: no server, a fake invoker stands in for the wire.

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
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

func TestIsIdempotent(t *testing.T) {
	cases := []struct {
		method string
		req    any
		want   bool
	}{
		{getOrder, &homevisitv1.GetServiceOrderRequest{}, true},
		{listOrders, &homevisitv1.ListServiceOrdersRequest{}, true},
		{checkAvail, &homevisitv1.CheckAvailabilityRequest{}, true},
		{createOrder, &homevisitv1.CreateServiceOrderRequest{RequestId: "r-1"}, true},
		{createOrder, &homevisitv1.CreateServiceOrderRequest{}, false},
		{book, &homevisitv1.BookAppointmentRequest{RequestId: "b-1"}, true},
		{book, &homevisitv1.BookAppointmentRequest{}, false},
		{cancelOrder, &homevisitv1.CancelServiceOrderRequest{Name: "serviceOrders/1"}, false},
		{"/homevisit.v1.ServiceOrderService/UpdateServiceOrder", &homevisitv1.UpdateServiceOrderRequest{}, false},
	}
	for _, c := range cases {
		if got := IsIdempotent(c.method, c.req); got != c.want {
			t.Errorf("IsIdempotent(%s, %v) = %v, want %v", c.method, c.req, got, c.want)
		}
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
}

func TestNeverRetriesNonIdempotentCalls(t *testing.T) {
	unavailable := status.Error(codes.Unavailable, "down")
	for _, c := range []struct {
		method string
		req    any
	}{
		{createOrder, &homevisitv1.CreateServiceOrderRequest{}},
		{cancelOrder, &homevisitv1.CancelServiceOrderRequest{}},
		{book, &homevisitv1.BookAppointmentRequest{}},
	} {
		for _, e := range []error{unavailable, withReason(codes.Aborted, "CONCURRENT_UPDATE")} {
			attempts, err := callThrough(t, c.method, c.req, e)
			if attempts != 1 || status.Code(err) != status.Code(e) {
				t.Errorf("%s: attempts=%d err=%v, want 1 attempt and %v", c.method, attempts, err, status.Code(e))
			}
		}
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
}

func TestBackoffIsCapped(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, InitialBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, Multiplier: 2}
	for n := 1; n <= 10; n++ {
		for range 50 {
			if b := p.Backoff(n); b <= 0 || b > time.Second {
				t.Fatalf("Backoff(%d) = %v, want in (0, 1s]", n, b)
			}
		}
	}
	for range 50 {
		if b := p.Backoff(1); b > 100*time.Millisecond {
			t.Fatalf("Backoff(1) = %v, want at most the initial backoff", b)
		}
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
