package homevisit_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/izzi-drwifi/homevisit/sdk/go/homevisit"
	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

func day(t time.Time) *date.Date {
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}

// The contract figures of the days around today (the demo orders were taken in at the server's
// start): a dispatcher may ask, the technicians' groups add up to the total, a DOT operator may not.
func TestProgramMetricsLive(t *testing.T) {
	now := time.Now().UTC()
	request := &homevisitv1.GetProgramMetricsRequest{
		StartDate: day(now.AddDate(0, 0, -1)),
		EndDate:   day(now.AddDate(0, 0, 1)),
		Grouping:  homevisitv1.MetricsGrouping_METRICS_GROUPING_TECHNICIAN,
	}
	c := dial(t, homevisit.WithToken(dispatcherToken))
	metrics, err := c.Reporting.GetProgramMetrics(context.Background(), request)
	if err != nil {
		t.Fatal(err)
	}
	if metrics.GetTotal().GetOrdersRequested() == 0 {
		t.Fatalf("no orders in the period: %v", metrics.GetTotal())
	}
	if metrics.GetFirstVisitWindowDays() != 30 {
		t.Errorf("first_visit_window_days = %d, want the default 30", metrics.GetFirstVisitWindowDays())
	}
	var sum int64
	for _, g := range metrics.GetGroups() {
		sum += g.GetFigures().GetOrdersRequested()
	}
	if sum != metrics.GetTotal().GetOrdersRequested() {
		t.Errorf("groups add up to %d orders, the total is %d", sum, metrics.GetTotal().GetOrdersRequested())
	}

	_, err = dial(t).Reporting.GetProgramMetrics(context.Background(), request)
	if status.Code(err) != codes.PermissionDenied {
		t.Errorf("a DOT operator got %v, want PermissionDenied", err)
	}
}
