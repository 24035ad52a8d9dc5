package homevisit

import (
	"context"
	"iter"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

// Every List RPC takes page_size/page_token and answers with one repeated field and a
// next_page_token that is empty on the last page. The All* methods follow it so callers range
// over the items:
//
//	for order, err := range c.AllServiceOrders(ctx, &homevisitv1.ListServiceOrdersRequest{FileNumber: f}) {
//		if err != nil { ... }  // the page's error; the iteration ends with it
//		fmt.Println(order.GetName())
//	}
//
// Each page is one unary call through the client's interceptors, so it gets the default deadline
// (when ctx has none) and the retries of sdk/README.md on its own. The first failed page is
// yielded as (nil, err), err being the call's gRPC status error (status.Code, Reason and
// FieldViolations read it), and ends the iteration; items of earlier pages were already
// yielded. Breaking out of the loop reads no further page. The request is copied (a nil one is
// an empty request) and the walk starts from its page_token, so the caller's message is not
// changed and the sequence may be ranged over again.

// Pages yields every item of every page of a List method: list(ctx, request, opts...) with
// page_token set to each next_page_token in turn, until one is empty; items picks a page's
// repeated field. The All* methods of Client are Pages over each List RPC.
func Pages[Req proto.Message, Resp interface{ GetNextPageToken() string }, Item any](
	ctx context.Context,
	list func(context.Context, Req, ...grpc.CallOption) (Resp, error),
	request Req,
	items func(Resp) []Item,
	opts ...grpc.CallOption,
) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		page := proto.Clone(request).(Req)
		if !page.ProtoReflect().IsValid() { // a nil request: an empty one
			page = page.ProtoReflect().New().Interface().(Req)
		}
		token := page.ProtoReflect().Descriptor().Fields().ByName("page_token")
		if token == nil || token.Kind() != protoreflect.StringKind {
			panic("homevisit.Pages: " + string(page.ProtoReflect().Descriptor().FullName()) + " has no string page_token")
		}
		for {
			resp, err := list(ctx, page, opts...)
			if err != nil {
				var none Item
				yield(none, err)
				return
			}
			for _, item := range items(resp) {
				if !yield(item, nil) {
					return
				}
			}
			next := resp.GetNextPageToken()
			if next == "" {
				return
			}
			page.ProtoReflect().Set(token, protoreflect.ValueOfString(next))
		}
	}
}

// AllServiceOrders yields every order ListServiceOrders matches (newest first), page after page.
func (c *Client) AllServiceOrders(ctx context.Context, request *homevisitv1.ListServiceOrdersRequest,
	opts ...grpc.CallOption) iter.Seq2[*homevisitv1.ServiceOrder, error] {
	return Pages(ctx, c.ServiceOrders.ListServiceOrders, request,
		(*homevisitv1.ListServiceOrdersResponse).GetServiceOrders, opts...)
}

// AllTechnicians yields every technician ListTechnicians matches, page after page.
func (c *Client) AllTechnicians(ctx context.Context, request *homevisitv1.ListTechniciansRequest,
	opts ...grpc.CallOption) iter.Seq2[*homevisitv1.Technician, error] {
	return Pages(ctx, c.Technicians.ListTechnicians, request,
		(*homevisitv1.ListTechniciansResponse).GetTechnicians, opts...)
}

// AllEvents yields every event ListEvents matches (oldest first), page after page.
func (c *Client) AllEvents(ctx context.Context, request *homevisitv1.ListEventsRequest,
	opts ...grpc.CallOption) iter.Seq2[*homevisitv1.Event, error] {
	return Pages(ctx, c.Events.ListEvents, request,
		(*homevisitv1.ListEventsResponse).GetEvents, opts...)
}

// AllCredentials yields every credential ListCredentials returns (an admin's call), page after page.
func (c *Client) AllCredentials(ctx context.Context, request *homevisitv1.ListCredentialsRequest,
	opts ...grpc.CallOption) iter.Seq2[*homevisitv1.Credential, error] {
	return Pages(ctx, c.Credentials.ListCredentials, request,
		(*homevisitv1.ListCredentialsResponse).GetCredentials, opts...)
}

// AllVisitReports yields every report of the request's file (newest first), page after page.
func (c *Client) AllVisitReports(ctx context.Context, request *homevisitv1.ListVisitReportsRequest,
	opts ...grpc.CallOption) iter.Seq2[*homevisitv1.VisitReport, error] {
	return Pages(ctx, c.VisitReports.ListVisitReports, request,
		(*homevisitv1.ListVisitReportsResponse).GetVisitReports, opts...)
}

// AllHolds yields every hold ListHolds matches (earliest window first), page after page.
func (c *Client) AllHolds(ctx context.Context, request *homevisitv1.ListHoldsRequest,
	opts ...grpc.CallOption) iter.Seq2[*homevisitv1.Hold, error] {
	return Pages(ctx, c.Scheduling.ListHolds, request,
		(*homevisitv1.ListHoldsResponse).GetHolds, opts...)
}
