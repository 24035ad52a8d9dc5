package homevisit_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

// The report's document: the PDF issued at completion, whose SHA-256 is the one recorded, and
// whose report hash still matches the record.
func TestGetVisitReportDocument(t *testing.T) {
	c := dial(t)
	order := completeVisit(t, c, uniqueID("EXP"))
	request := &homevisitv1.GetVisitReportDocumentRequest{Name: order + "/visitReport/document"}
	document, err := c.VisitReports.GetVisitReportDocument(context.Background(), request)
	if err != nil {
		t.Fatalf("GetVisitReportDocument: %v", err)
	}
	if !bytes.HasPrefix(document.GetPdf(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", document.GetPdf()[:min(16, len(document.GetPdf()))])
	}
	sum := sha256.Sum256(document.GetPdf())
	if got := hex.EncodeToString(sum[:]); got != document.GetDocumentSha256() {
		t.Fatalf("the PDF's SHA-256 is %s, the recorded one %s", got, document.GetDocumentSha256())
	}
	if len(document.GetReportSha256()) != 64 || document.GetCurrentReportSha256() != document.GetReportSha256() {
		t.Fatalf("report hash %q, now %q", document.GetReportSha256(), document.GetCurrentReportSha256())
	}
	again, err := c.VisitReports.GetVisitReportDocument(context.Background(), request)
	if err != nil || !bytes.Equal(again.GetPdf(), document.GetPdf()) {
		t.Fatalf("a second read differs (err %v)", err)
	}
}
