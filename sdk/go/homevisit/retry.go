package homevisit

import (
	"context"
	"math/rand/v2"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// RetryPolicy says how often and how patiently idempotent calls are retried.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 or less means no retries.
	MaxAttempts int
	// The backoff before retry n is a random duration up to
	// min(MaxBackoff, InitialBackoff * Multiplier^(n-1)) ("full jitter").
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	Multiplier     float64
}

// DefaultRetryPolicy: 4 attempts, backoff from 100 ms up to 2 s.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, InitialBackoff: 100 * time.Millisecond,
	MaxBackoff: 2 * time.Second, Multiplier: 2}

// readMethods are the calls that change nothing, besides every Get* and List*.
var readMethods = map[string]bool{"CheckAvailability": true}

// nonTransientAborted are ABORTED reasons that a retry would only repeat: the caller must
// read again or choose again.
var nonTransientAborted = map[string]bool{"ETAG_MISMATCH": true, "SLOT_TAKEN": true}

// IsIdempotent tells whether a call may be sent again safely: reads (Get*, List*,
// CheckAvailability) and requests carrying a non-empty request_id (CreateServiceOrder,
// CreateTechnician, BookAppointment), which the server deduplicates.
// method is the full gRPC name, "/homevisit.v1.ServiceOrderService/GetServiceOrder".
func IsIdempotent(method string, req any) bool {
	name := method[strings.LastIndex(method, "/")+1:]
	if strings.HasPrefix(name, "Get") || strings.HasPrefix(name, "List") || readMethods[name] {
		return true
	}
	msg, ok := req.(proto.Message)
	if !ok {
		return false
	}
	m := msg.ProtoReflect()
	field := m.Descriptor().Fields().ByName("request_id")
	return field != nil && field.Kind() == protoreflect.StringKind && m.Get(field).String() != ""
}

// ShouldRetry tells whether err from a call of method with req is worth another attempt:
// only idempotent calls, and only on UNAVAILABLE or on a transient ABORTED (a serialization or
// concurrency conflict, not ETAG_MISMATCH or SLOT_TAKEN).
func ShouldRetry(method string, req any, err error) bool {
	if err == nil || !IsIdempotent(method, req) {
		return false
	}
	switch status.Code(err) {
	case codes.Unavailable:
		return true
	case codes.Aborted:
		return !nonTransientAborted[Reason(err)]
	default:
		return false
	}
}

// Backoff returns the pause before retry number n (1 for the first retry).
func (p RetryPolicy) Backoff(n int) time.Duration {
	ceiling := float64(p.InitialBackoff)
	for i := 1; i < n; i++ {
		ceiling *= p.Multiplier
		if ceiling >= float64(p.MaxBackoff) {
			break
		}
	}
	if ceiling > float64(p.MaxBackoff) {
		ceiling = float64(p.MaxBackoff)
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling)) + 1)
}

// RetryInterceptor retries unary calls as ShouldRetry says, up to p.MaxAttempts, pausing
// p.Backoff between attempts, and never past the context's deadline.
func RetryInterceptor(p RetryPolicy) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		for attempt := 1; ; attempt++ {
			err := invoker(ctx, method, req, reply, cc, opts...)
			if attempt >= p.MaxAttempts || !ShouldRetry(method, req, err) {
				return err
			}
			backoff := p.Backoff(attempt)
			if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= backoff {
				return err // the next attempt could only end in DeadlineExceeded: report the cause
			}
			pause := time.NewTimer(backoff)
			select {
			case <-ctx.Done():
				pause.Stop()
				return err
			case <-pause.C:
			}
		}
	}
}
