// Package homevisit is the thin, hand-written layer over the generated homevisitv1 package:
// it dials the service with credentials and TLS, applies a default deadline to every unary call,
// retries the calls that are safe to repeat, and exposes the details of errors
// (FieldViolations, Reason).
//
//	c, err := homevisit.Dial("127.0.0.1:50051", homevisit.WithInsecure(), homevisit.WithToken(tok))
//	defer c.Close()
//	order, err := c.ServiceOrders.GetServiceOrder(ctx, &homevisitv1.GetServiceOrderRequest{Name: name})
package homevisit

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

// DefaultTimeout is the deadline given to a unary call whose context has none.
const DefaultTimeout = 10 * time.Second

// TLSConfig selects TLS for the connection. Empty PEM fields mean the system roots and no client
// certificate.
type TLSConfig struct {
	// RootCertsPEM: the CA certificates that sign the server's certificate.
	RootCertsPEM []byte
	// ClientCertPEM and ClientKeyPEM: a client certificate for mutual TLS (both or neither).
	ClientCertPEM []byte
	ClientKeyPEM  []byte
	// ServerName overrides the name checked against the server's certificate.
	ServerName string
}

type options struct {
	token       string
	tls         *TLSConfig
	insecure    bool
	timeout     time.Duration
	retry       RetryPolicy
	dialOptions []grpc.DialOption
}

// Option configures Dial.
type Option func(*options)

// WithToken sends `authorization: Bearer <token>` with every call; the server requires it.
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithTLS connects over TLS with the given roots and optional client certificate. Without
// WithTLS or WithInsecure, Dial uses TLS with the system roots.
func WithTLS(cfg TLSConfig) Option { return func(o *options) { o.tls = &cfg } }

// WithInsecure connects in plaintext (loopback and tests only).
func WithInsecure() Option { return func(o *options) { o.insecure = true } }

// WithDefaultTimeout changes the deadline given to unary calls whose context has none;
// zero or less means no default.
func WithDefaultTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithRetryPolicy replaces DefaultRetryPolicy; RetryPolicy{MaxAttempts: 1} turns retries off.
func WithRetryPolicy(p RetryPolicy) Option { return func(o *options) { o.retry = p } }

// WithDialOptions appends raw gRPC dial options (applied after the SDK's own).
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *options) { o.dialOptions = append(o.dialOptions, opts...) }
}

// Client holds one connection and a client of every homevisit service on it.
type Client struct {
	Conn          *grpc.ClientConn
	ServiceOrders homevisitv1.ServiceOrderServiceClient
	Technicians   homevisitv1.TechnicianServiceClient
	Scheduling    homevisitv1.SchedulingServiceClient
	Events        homevisitv1.EventServiceClient
	Visits        homevisitv1.VisitServiceClient
	VisitReports  homevisitv1.VisitReportServiceClient
	Credentials   homevisitv1.CredentialServiceClient
	Reporting     homevisitv1.ReportingServiceClient
}

// Dial creates a client for target ("host:port"). Like grpc.NewClient it does not wait for
// the connection: errors show up on the first call.
func Dial(target string, opts ...Option) (*Client, error) {
	o := options{timeout: DefaultTimeout, retry: DefaultRetryPolicy}
	for _, opt := range opts {
		opt(&o)
	}
	dialOpts, err := o.build()
	if err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(target, dialOpts...)
	if err != nil {
		return nil, fmt.Errorf("homevisit: dial %s: %w", target, err)
	}
	return &Client{
		Conn:          conn,
		ServiceOrders: homevisitv1.NewServiceOrderServiceClient(conn),
		Technicians:   homevisitv1.NewTechnicianServiceClient(conn),
		Scheduling:    homevisitv1.NewSchedulingServiceClient(conn),
		Events:        homevisitv1.NewEventServiceClient(conn),
		Visits:        homevisitv1.NewVisitServiceClient(conn),
		VisitReports:  homevisitv1.NewVisitReportServiceClient(conn),
		Credentials:   homevisitv1.NewCredentialServiceClient(conn),
		Reporting:     homevisitv1.NewReportingServiceClient(conn),
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.Conn.Close() }

func (o *options) build() ([]grpc.DialOption, error) {
	var transport credentials.TransportCredentials
	switch {
	case o.insecure && o.tls != nil:
		return nil, errors.New("homevisit: WithInsecure and WithTLS exclude each other")
	case o.insecure:
		transport = insecure.NewCredentials()
	default:
		cfg := TLSConfig{}
		if o.tls != nil {
			cfg = *o.tls
		}
		tlsConfig, err := cfg.toStd()
		if err != nil {
			return nil, err
		}
		transport = credentials.NewTLS(tlsConfig)
	}
	// Order matters: metadata once per call, then one deadline for the call with all its
	// retries, then the retries themselves.
	unary := []grpc.UnaryClientInterceptor{}
	stream := []grpc.StreamClientInterceptor{}
	if o.token != "" {
		unary = append(unary, bearerUnary(o.token))
		stream = append(stream, bearerStream(o.token))
	}
	if o.timeout > 0 {
		unary = append(unary, TimeoutInterceptor(o.timeout))
	}
	unary = append(unary, RetryInterceptor(o.retry))
	dial := []grpc.DialOption{
		grpc.WithTransportCredentials(transport),
		grpc.WithChainUnaryInterceptor(unary...),
		grpc.WithChainStreamInterceptor(stream...),
	}
	return append(dial, o.dialOptions...), nil
}

func (c TLSConfig) toStd() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.ServerName}
	if len(c.RootCertsPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(c.RootCertsPEM) {
			return nil, errors.New("homevisit: RootCertsPEM holds no certificate")
		}
		cfg.RootCAs = pool
	}
	if (len(c.ClientCertPEM) > 0) != (len(c.ClientKeyPEM) > 0) {
		return nil, errors.New("homevisit: ClientCertPEM and ClientKeyPEM go together")
	}
	if len(c.ClientCertPEM) > 0 {
		pair, err := tls.X509KeyPair(c.ClientCertPEM, c.ClientKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("homevisit: client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// The server requires the token on every call: without one a call fails Unauthenticated
// (reason NO_CREDENTIALS), with a role that may not call the method PermissionDenied
// (ROLE_NOT_ALLOWED). A plain interceptor rather than PerRPCCredentials, which would refuse
// plaintext loopback connections.
func bearerUnary(token string) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		return invoker(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token),
			method, req, reply, cc, opts...)
	}
}

func bearerStream(token string) grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string,
		streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		return streamer(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token),
			desc, cc, method, opts...)
	}
}

// TimeoutInterceptor gives unary calls whose context has no deadline one of d.
func TimeoutInterceptor(d time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}
