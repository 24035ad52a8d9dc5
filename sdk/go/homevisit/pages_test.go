package homevisit

// Unit tests of Pages: a fake List method stands in for the server.

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

// fakeOrders answers ListServiceOrders with pages of order names, the token being the next
// page's index; the page at failing (if >= 0) answers err instead. It records the tokens asked.
type fakeOrders struct {
	pages   [][]string
	failing int
	err     error
	tokens  []string
}

func (f *fakeOrders) list(_ context.Context, req *homevisitv1.ListServiceOrdersRequest,
	_ ...grpc.CallOption) (*homevisitv1.ListServiceOrdersResponse, error) {
	f.tokens = append(f.tokens, req.GetPageToken())
	index := 0
	if req.GetPageToken() != "" {
		index, _ = strconv.Atoi(req.GetPageToken())
	}
	if index == f.failing {
		return nil, f.err
	}
	resp := &homevisitv1.ListServiceOrdersResponse{}
	if index < len(f.pages) {
		for _, name := range f.pages[index] {
			resp.ServiceOrders = append(resp.ServiceOrders, &homevisitv1.ServiceOrder{Name: name})
		}
		if index+1 < len(f.pages) {
			resp.NextPageToken = strconv.Itoa(index + 1)
		}
	}
	return resp, nil
}

func (f *fakeOrders) all(req *homevisitv1.ListServiceOrdersRequest) (names []string, errs []error) {
	for order, err := range Pages(context.Background(), f.list, req, (*homevisitv1.ListServiceOrdersResponse).GetServiceOrders) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		names = append(names, order.GetName())
	}
	return names, errs
}

func TestPagesWalksEveryPageOnACopy(t *testing.T) {
	f := &fakeOrders{pages: [][]string{{"a", "b"}, {}, {"c"}, {"d"}}, failing: -1}
	req := &homevisitv1.ListServiceOrdersRequest{FileNumber: "EXP-1", PageSize: 2}
	names, errs := f.all(req)
	if len(errs) != 0 || !slices.Equal(names, []string{"a", "b", "c", "d"}) {
		t.Fatalf("got %v, errors %v; want a b c d (an empty page in the middle does not end the walk)", names, errs)
	}
	if !slices.Equal(f.tokens, []string{"", "1", "2", "3"}) {
		t.Fatalf("page tokens asked %q", f.tokens)
	}
	if req.GetPageToken() != "" || req.GetFileNumber() != "EXP-1" || req.GetPageSize() != 2 {
		t.Fatalf("the caller's request changed: %v", req)
	}
	// The sequence may be ranged over again: it starts over.
	f.tokens = nil
	if again, _ := f.all(req); !slices.Equal(again, names) || !slices.Equal(f.tokens, []string{"", "1", "2", "3"}) {
		t.Fatalf("second range: %v with tokens %q", again, f.tokens)
	}
}

func TestPagesStartsFromTheRequestsPageToken(t *testing.T) {
	f := &fakeOrders{pages: [][]string{{"a"}, {"b"}, {"c"}}, failing: -1}
	names, _ := f.all(&homevisitv1.ListServiceOrdersRequest{PageToken: "1"})
	if !slices.Equal(names, []string{"b", "c"}) || !slices.Equal(f.tokens, []string{"1", "2"}) {
		t.Fatalf("from token 1: %v, tokens %q", names, f.tokens)
	}
}

func TestPagesOverNothingAndANilRequest(t *testing.T) {
	f := &fakeOrders{failing: -1}
	names, errs := f.all(nil)
	if len(names) != 0 || len(errs) != 0 || !slices.Equal(f.tokens, []string{""}) {
		t.Fatalf("nothing: %v, %v, tokens %q; want one call and no item", names, errs, f.tokens)
	}
}

func TestPagesYieldsTheErrorOfAPageOnceAndStops(t *testing.T) {
	denied := withReason(codes.PermissionDenied, "ROLE_NOT_ALLOWED")
	f := &fakeOrders{pages: [][]string{{"a"}, {"b"}, {"c"}}, failing: 1, err: denied}
	names, errs := f.all(nil)
	if !slices.Equal(names, []string{"a"}) || len(errs) != 1 {
		t.Fatalf("got %v, errors %v; want a, then one error", names, errs)
	}
	if status.Code(errs[0]) != codes.PermissionDenied || Reason(errs[0]) != "ROLE_NOT_ALLOWED" {
		t.Fatalf("error %v (reason %q), want the page's PermissionDenied ROLE_NOT_ALLOWED", errs[0], Reason(errs[0]))
	}
	if !slices.Equal(f.tokens, []string{"", "1"}) {
		t.Fatalf("page tokens asked %q: nothing after the failed page", f.tokens)
	}
}

func TestPagesBreakReadsNoFurtherPage(t *testing.T) {
	f := &fakeOrders{pages: [][]string{{"a", "b"}, {"c"}}, failing: -1}
	var names []string
	for order, err := range Pages(context.Background(), f.list, &homevisitv1.ListServiceOrdersRequest{},
		(*homevisitv1.ListServiceOrdersResponse).GetServiceOrders) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, order.GetName())
		break
	}
	if !slices.Equal(names, []string{"a"}) || !slices.Equal(f.tokens, []string{""}) {
		t.Fatalf("after break: %v, tokens %q", names, f.tokens)
	}
}

// Each page is its own call through the client's interceptors: a page that fails UNAVAILABLE
// once is retried, and the walk goes on.
func TestPagesRetryEachPageThroughTheClient(t *testing.T) {
	f := &fakeOrders{pages: [][]string{{"a"}, {"b"}}, failing: -1}
	attempts := map[string]int{}
	invoker := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, opts ...grpc.CallOption) error {
		token := req.(*homevisitv1.ListServiceOrdersRequest).GetPageToken()
		if attempts[token]++; attempts[token] == 1 {
			return status.Error(codes.Unavailable, "lost")
		}
		resp, err := f.list(ctx, req.(*homevisitv1.ListServiceOrdersRequest))
		if err == nil {
			proto.Merge(reply.(proto.Message), resp)
		}
		return err
	}
	list := func(ctx context.Context, req *homevisitv1.ListServiceOrdersRequest, opts ...grpc.CallOption) (*homevisitv1.ListServiceOrdersResponse, error) {
		resp := &homevisitv1.ListServiceOrdersResponse{}
		return resp, RetryInterceptor(fastPolicy)(ctx, listOrders, req, resp, nil, invoker, opts...)
	}
	var names []string
	for order, err := range Pages(context.Background(), list, &homevisitv1.ListServiceOrdersRequest{},
		(*homevisitv1.ListServiceOrdersResponse).GetServiceOrders) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, order.GetName())
	}
	if !slices.Equal(names, []string{"a", "b"}) || attempts[""] != 2 || attempts["1"] != 2 {
		t.Fatalf("got %v with attempts %v; want a b, each page tried twice", names, attempts)
	}
}
