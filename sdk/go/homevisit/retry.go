package homevisit

// The retry and request-id policy every homevisit SDK follows: sdk/README.md.

import (
	"context"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// RetryPolicy says how often and how patiently the calls that are safe to repeat are retried.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 or less means no retries.
	MaxAttempts int
	// The backoff before retry n is uniformly random in
	// [0, min(MaxBackoff, InitialBackoff * Multiplier^(n-1))] ("full jitter").
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	Multiplier     float64
}

// DefaultRetryPolicy: 4 attempts in all, backoff before retry n uniformly random in
// [0, min(2 s, 100 ms * 2^(n-1))].
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, InitialBackoff: 100 * time.Millisecond,
	MaxBackoff: 2 * time.Second, Multiplier: 2}

// readMethods are the calls that change nothing, besides every Get* and List*.
var readMethods = map[string]bool{"CheckAvailability": true, "RenderScript": true}

// neverRetried are writes that must not be repeated whatever their request says:
// CreateCredential shows its token once and keeps no request id.
var neverRetried = map[string]bool{"CreateCredential": true}

// nonTransientAborted are ABORTED reasons that a retry would only repeat: the caller must
// read again or choose again.
var nonTransientAborted = map[string]bool{"ETAG_MISMATCH": true, "SLOT_TAKEN": true}

// methodName is the last part of a full gRPC method name:
// "/homevisit.v1.ServiceOrderService/GetServiceOrder" -> "GetServiceOrder".
func methodName(method string) string { return method[strings.LastIndex(method, "/")+1:] }

// IsRead tells whether method changes nothing: Get*, List*, CheckAvailability, RenderScript.
func IsRead(method string) bool {
	name := methodName(method)
	return strings.HasPrefix(name, "Get") || strings.HasPrefix(name, "List") || readMethods[name]
}

// requestIDField returns the request's `request_id` string field, or nil when it has none.
func requestIDField(m protoreflect.Message) protoreflect.FieldDescriptor {
	field := m.Descriptor().Fields().ByName("request_id")
	if field == nil || field.Kind() != protoreflect.StringKind || field.Cardinality() == protoreflect.Repeated {
		return nil
	}
	return field
}

// WithRequestID returns req with its `request_id` filled: when req is a proto message that has
// the field and it is empty, a copy (proto.Clone; req itself is left alone) carrying a fresh
// random UUID (version 4); otherwise req itself.
func WithRequestID(req any) any {
	msg, ok := req.(proto.Message)
	if !ok || msg == nil {
		return req
	}
	m := msg.ProtoReflect()
	if !m.IsValid() {
		return req
	}
	field := requestIDField(m)
	if field == nil || m.Get(field).String() != "" {
		return req
	}
	filled := proto.Clone(msg)
	filled.ProtoReflect().Set(field, protoreflect.ValueOfString(uuid.NewString()))
	return filled
}

// IsIdempotent tells whether a call may be sent again safely: reads (IsRead) and requests
// carrying a non-empty request_id, which the server deduplicates; never CreateCredential.
// RetryInterceptor fills an empty request_id first (WithRequestID), so through a Client every
// write but CreateCredential is retried.
// method is the full gRPC name, "/homevisit.v1.ServiceOrderService/GetServiceOrder".
func IsIdempotent(method string, req any) bool {
	if IsRead(method) {
		return true
	}
	if neverRetried[methodName(method)] {
		return false
	}
	msg, ok := req.(proto.Message)
	if !ok || msg == nil {
		return false
	}
	m := msg.ProtoReflect()
	if !m.IsValid() {
		return false
	}
	field := requestIDField(m)
	return field != nil && m.Get(field).String() != ""
}

// IsRetryableError tells whether err says the work may be retried as is: UNAVAILABLE; ABORTED
// unless the reason is ETAG_MISMATCH or SLOT_TAKEN; RESOURCE_EXHAUSTED with reason SERVER_BUSY.
// Nothing else (not DEADLINE_EXCEEDED, not INTERNAL, not an invalid request).
func IsRetryableError(err error) bool {
	if err == nil {
		return false
	}
	switch status.Code(err) {
	case codes.Unavailable:
		return true
	case codes.Aborted:
		return !nonTransientAborted[Reason(err)]
	case codes.ResourceExhausted:
		return Reason(err) == "SERVER_BUSY"
	default:
		return false
	}
}

// ShouldRetry tells whether err from a call of method with req is worth another attempt:
// IsIdempotent(method, req) and IsRetryableError(err).
func ShouldRetry(method string, req any, err error) bool {
	return IsRetryableError(err) && IsIdempotent(method, req)
}

// Backoff returns the pause before retry number n (1 for the first retry): uniformly random
// in [0, min(MaxBackoff, InitialBackoff * Multiplier^(n-1))].
func (p RetryPolicy) Backoff(n int) time.Duration {
	ceiling := float64(p.InitialBackoff)
	for i := 1; i < n && ceiling < float64(p.MaxBackoff); i++ {
		ceiling *= p.Multiplier
	}
	if ceiling > float64(p.MaxBackoff) {
		ceiling = float64(p.MaxBackoff)
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// RetryInterceptor applies the SDK's policy (sdk/README.md) to unary calls: it fills an empty
// request_id before the first attempt (WithRequestID: on a copy, so every attempt sends the same
// request and the caller's message is untouched), then retries as ShouldRetry says, up to
// p.MaxAttempts in all, pausing p.Backoff between attempts. The context's deadline (Dial's
// TimeoutInterceptor gives one when the caller did not) covers every attempt and pause: no retry
// starts when its pause would end past it, and the last error is returned then.
func RetryInterceptor(p RetryPolicy) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		req = WithRequestID(req)
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
