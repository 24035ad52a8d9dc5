package main

import "google.golang.org/genproto/googleapis/api/annotations"

// restRules maps the API onto REST paths in the style of AIP-131..136. The protos carry no
// google.api.http annotations (adding them would regenerate every SDK), so the gateway supplies
// them to vanguard here: one line per method, nothing translated by hand. Methods not listed are
// reachable through gRPC-Web and the Connect protocol only: WatchEvents (a server stream), and
// GetVisitReport and GetVisitReportDocument (vanguard 0.4 matches a selector as a prefix, so a
// rule for GetVisitReport applies to GetVisitReportDocument too and their routes collide).
func restRules() []*annotations.HttpRule {
	const p = "homevisit.v1."
	get := func(sel, path string) *annotations.HttpRule {
		return &annotations.HttpRule{Selector: p + sel, Pattern: &annotations.HttpRule_Get{Get: path}}
	}
	post := func(sel, path, body string) *annotations.HttpRule {
		return &annotations.HttpRule{Selector: p + sel, Pattern: &annotations.HttpRule_Post{Post: path}, Body: body}
	}
	patch := func(sel, path, body string) *annotations.HttpRule {
		return &annotations.HttpRule{Selector: p + sel, Pattern: &annotations.HttpRule_Patch{Patch: path}, Body: body}
	}
	order := "/v1/{service_order=serviceOrders/*}"
	return []*annotations.HttpRule{
		post("ServiceOrderService.CreateServiceOrder", "/v1/serviceOrders", "*"),
		get("ServiceOrderService.GetServiceOrder", "/v1/{name=serviceOrders/*}"),
		get("ServiceOrderService.ListServiceOrders", "/v1/serviceOrders"),
		patch("ServiceOrderService.UpdateServiceOrder", "/v1/{service_order.name=serviceOrders/*}", "*"),
		post("ServiceOrderService.CancelServiceOrder", "/v1/{name=serviceOrders/*}:cancel", "*"),

		post("TechnicianService.CreateTechnician", "/v1/technicians", "*"),
		get("TechnicianService.GetTechnician", "/v1/{name=technicians/*}"),
		get("TechnicianService.ListTechnicians", "/v1/technicians"),
		patch("TechnicianService.UpdateTechnician", "/v1/{technician.name=technicians/*}", "*"),
		post("TechnicianService.DeactivateTechnician", "/v1/{name=technicians/*}:deactivate", "*"),

		post("SchedulingService.CheckAvailability", order+":checkAvailability", "*"),
		post("SchedulingService.CreateHold", "/v1/holds", "*"),
		get("SchedulingService.GetHold", "/v1/{name=holds/*}"),
		post("SchedulingService.ReleaseHold", "/v1/{name=holds/*}:release", "*"),
		post("SchedulingService.BookAppointment", order+":book", "*"),
		post("SchedulingService.RescheduleAppointment", order+":reschedule", "*"),
		post("SchedulingService.ReassignAppointment", order+":reassign", "*"),

		post("VisitService.RecordConfirmationCall", order+":recordConfirmationCall", "*"),
		post("VisitService.RecordFollowUpCall", order+":recordFollowUpCall", "*"),
		post("VisitService.CheckIn", order+":checkIn", "*"),
		post("VisitService.RecordDiagnosis", order+":recordDiagnosis", "*"),
		post("VisitService.RequestEscalation", order+":requestEscalation", "*"),
		post("VisitService.RecordConference", order+":recordConference", "*"),
		post("VisitService.RecordHandOver", order+":recordHandOver", "*"),
		post("VisitService.RecordOutcome", order+":recordOutcome", "*"),
		post("VisitService.CaptureSignature", order+":captureSignature", "*"),
		post("VisitService.CompleteVisit", order+":complete", "*"),
		post("VisitService.RenderScript", order+":renderScript", "*"),
		get("VisitService.GetChecklistTemplate", "/v1/checklistTemplate"),

		get("EventService.ListEvents", "/v1/events"),

		get("VisitReportService.ListVisitReports", "/v1/visitReports"),

		get("ReportingService.GetProgramMetrics", "/v1/programMetrics"),

		post("CredentialService.CreateCredential", "/v1/credentials", "*"),
		get("CredentialService.ListCredentials", "/v1/credentials"),
		post("CredentialService.RevokeCredential", "/v1/{name=credentials/*}:revoke", "*"),
	}
}
