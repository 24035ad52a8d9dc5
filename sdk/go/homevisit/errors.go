package homevisit

import (
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// The server puts a google.rpc.Status in the `grpc-status-details-bin` trailer of every error:
// an ErrorInfo with a stable UPPER_SNAKE reason, and for bad input a BadRequest naming every
// bad field. grpc-go decodes that trailer into status.Status; these helpers pick the details.

// FieldViolations returns the BadRequest field violations of err (paths like
// "service_order.address.postal_code"), or nil.
func FieldViolations(err error) []*errdetails.BadRequest_FieldViolation {
	var out []*errdetails.BadRequest_FieldViolation
	for _, d := range details(err) {
		if br, ok := d.(*errdetails.BadRequest); ok {
			out = append(out, br.GetFieldViolations()...)
		}
	}
	return out
}

// ViolatedFields returns just the field paths of FieldViolations(err).
func ViolatedFields(err error) []string {
	var fields []string
	for _, v := range FieldViolations(err) {
		fields = append(fields, v.GetField())
	}
	return fields
}

// ErrorInfo returns the ErrorInfo of err, or nil.
func ErrorInfo(err error) *errdetails.ErrorInfo {
	for _, d := range details(err) {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// Reason returns ErrorInfo(err).Reason (e.g. "INVALID_FIELDS", "ETAG_MISMATCH"), or "".
func Reason(err error) string { return ErrorInfo(err).GetReason() }

func details(err error) []any {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}
	return st.Details()
}
