package main

// REST routes whose methods share a name prefix (GetVisitReport, GetVisitReportDocument) each reach
// their own method, and ListHolds answers at GET /v1/holds: a visit walked to completion through
// REST on a homevisitd of its own with the demo technicians.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// restClient calls one gateway's REST surface with one token; a call that fails the test names
// the path and the answer.
type restClient struct {
	t     *testing.T
	base  string
	token string
}

// call returns the HTTP status and decodes the answer into out (when not nil).
func (c restClient) call(method, path string, body any, out any) int {
	c.t.Helper()
	var reader io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		reader = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, c.base+path, reader)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: HTTP %d, %v in %s", method, path, resp.StatusCode, err, data)
		}
	}
	return resp.StatusCode
}

// ok calls and fails the test unless the answer is 200.
func (c restClient) ok(method, path string, body any, out any) {
	c.t.Helper()
	var raw json.RawMessage
	if status := c.call(method, path, body, &raw); status != http.StatusOK {
		c.t.Fatalf("%s %s: HTTP %d %s", method, path, status, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func (c restClient) as(token string) restClient { return restClient{c.t, c.base, token} }

// demoGateway starts a homevisitd with the demo technicians behind a gateway of its own; it
// returns a client holding the admin's token.
func demoGateway(t *testing.T, name string) restClient {
	address, admin, stop, err := startHomevisitd(name, "--demo")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	proxy, err := newBackendProxy(address, "")
	if err != nil {
		t.Fatal(err)
	}
	handler, err := newGateway(proxy, nil)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	return restClient{t, server.URL, admin}
}

func (c restClient) issue(principal, role, technician string) string {
	c.t.Helper()
	var created struct{ Token string }
	c.ok("POST", "/v1/credentials", map[string]any{"credential": map[string]string{
		"principal": principal, "role": role, "technician": technician}}, &created)
	return created.Token
}

type slotOption struct {
	Technician string          `json:"technician"`
	Window     json.RawMessage `json:"window"`
}

// firstOption is the requested window when free, else the first alternative.
func firstOption(t *testing.T, dot restClient, order string) slotOption {
	t.Helper()
	var offer struct {
		Requested *slotOption
		SameDay   []slotOption
		OtherDays []slotOption
	}
	dot.ok("POST", "/v1/"+order+":checkAvailability", map[string]any{}, &offer)
	if offer.Requested != nil {
		return *offer.Requested
	}
	if options := append(offer.SameDay, offer.OtherDays...); len(options) > 0 {
		return options[0]
	}
	t.Fatalf("no option for %s", order)
	return slotOption{}
}

func TestRESTVisitReportAndItsDocumentHaveTheirOwnRoutes(t *testing.T) {
	admin := demoGateway(t, "reports")
	dot := admin.as(admin.issue("dot-reports", "ROLE_DOT_OPERATOR", ""))
	var created order
	if status := dot.call("POST", "/v1/serviceOrders", json.RawMessage(intake("report-0001")), &created); status != 200 {
		t.Fatalf("intake: HTTP %d", status)
	}
	reportPath := "/v1/" + created.Name + "/visitReport"
	documentPath := reportPath + "/document"

	// Before completion both answer the service's own NOT_FOUND, not the router's.
	for _, path := range []string{reportPath, documentPath} {
		var e restError
		if status := dot.call("GET", path, nil, &e); status != 404 || e.Code != 5 || !strings.Contains(e.Message, "no visit report") {
			t.Errorf("GET %s before completion: HTTP %d %+v; want 404 from homevisitd", path, status, e)
		}
	}

	var booked struct {
		Appointment struct{ Technician string }
	}
	dot.ok("POST", "/v1/"+created.Name+":book", map[string]any{"option": firstOption(t, dot, created.Name),
		"request_id": "report-book-1"}, &booked)
	tech := dot.as(admin.issue("phone-reports", "ROLE_TECHNICIAN", booked.Appointment.Technician))
	dot.ok("POST", "/v1/"+created.Name+":recordConfirmationCall", map[string]any{"result": "RESULT_CONFIRMED"}, nil)
	step := func(verb string, body map[string]any) { tech.ok("POST", "/v1/"+created.Name+":"+verb, body, nil) }
	step("checkIn", map[string]any{"greeting_given": true, "vest_worn": true, "official_id_type": "OFFICIAL_ID_TYPE_INE",
		"reason_explained": true})
	var checklist []map[string]string
	for _, item := range []string{"modem_power_lights", "cabling", "modem_signal_levels", "wired_speed_test",
		"wifi_test_near_modem", "modem_restart", "area_outage"} {
		checklist = append(checklist, map[string]string{"item_id": item, "result": "RESULT_PASS"})
	}
	step("recordDiagnosis", map[string]any{"diagnosis": map[string]any{"internet_related": true,
		"summary": "Canal saturado"}, "checklist": checklist})
	step("recordOutcome", map[string]any{"outcome": map[string]string{"result": "RESULT_RESOLVED",
		"problem": "Señal débil", "diagnosis": "Canal saturado", "actions_performed": "Cambio de canal"}})
	step("captureSignature", map[string]any{"signature": map[string]string{"signer_name": "Laura Méndez",
		"image_png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="}})
	step("complete", map[string]any{"note": "Listo"})

	var report struct {
		Name         string
		ServiceOrder struct{ Name, State string }
	}
	dot.ok("GET", reportPath, nil, &report)
	if report.Name != created.Name+"/visitReport" || report.ServiceOrder.State != "STATE_COMPLETED" {
		t.Errorf("GET %s: %+v", reportPath, report)
	}
	var document struct {
		Name           string
		Pdf            string
		DocumentSha256 string
	}
	dot.ok("GET", documentPath, nil, &document)
	pdf, err := base64.StdEncoding.DecodeString(document.Pdf)
	if document.Name != created.Name+"/visitReport/document" || err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) ||
		len(document.DocumentSha256) != 64 {
		t.Errorf("GET %s: name %q, %d PDF bytes (%v), sha256 %q", documentPath, document.Name, len(pdf), err,
			document.DocumentSha256)
	}
	// The report's query parameters are the report's: a view is accepted.
	dot.ok("GET", reportPath+"?view=SERVICE_ORDER_VIEW_BASIC", nil, nil)
}

func TestRESTListHolds(t *testing.T) {
	admin := demoGateway(t, "holds")
	dot := admin.as(admin.issue("dot-holds", "ROLE_DOT_OPERATOR", ""))
	var created order
	dot.ok("POST", "/v1/serviceOrders", json.RawMessage(intake("holds-0001")), &created)
	option := firstOption(t, dot, created.Name)
	var hold struct{ Name, State string }
	dot.ok("POST", "/v1/holds", map[string]any{"service_order": created.Name, "option": option}, &hold)

	var window struct{ StartTime, EndTime string }
	_ = json.Unmarshal(option.Window, &window)
	query := url.Values{"technician": {option.Technician}, "live_only": {"true"},
		"window_start_time": {window.StartTime}, "window_end_time": {window.EndTime}}
	var page struct {
		Holds []struct {
			Name, State, ServiceOrder string
		}
		NextPageToken string
	}
	dot.ok("GET", "/v1/holds?"+query.Encode(), nil, &page)
	if len(page.Holds) != 1 || page.Holds[0].Name != hold.Name || page.Holds[0].State != "STATE_LIVE" ||
		page.Holds[0].ServiceOrder != created.Name {
		t.Errorf("GET /v1/holds?%s: %+v, want %s", query.Encode(), page, hold.Name)
	}
	// Another technician's hours: none.
	query.Set("technician", "technicians/demo-tech-2")
	page.Holds = nil
	dot.ok("GET", "/v1/holds?"+query.Encode(), nil, &page)
	if len(page.Holds) != 0 {
		t.Errorf("demo-tech-2 has holds: %+v", page.Holds)
	}
	// A bad range names its field.
	query.Set("window_end_time", window.StartTime)
	var e restError
	if status := dot.call("GET", "/v1/holds?"+query.Encode(), nil, &e); status != 400 ||
		!strings.Contains(fmt.Sprint(e.Details), "window_end_time") {
		t.Errorf("backwards range: HTTP %d %+v", status, e)
	}
}
