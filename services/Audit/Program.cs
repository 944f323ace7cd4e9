using Gatehouse.Audit;
using Gatehouse.Audit.Api;
using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAuditServices();

var app = builder.Build();
// Around authorization, so an alert action refused for want of the role is recorded like any other refusal.
app.UseRefusedChangeEvents();
app.UseAuthentication();
app.UseAuthorization();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAuditApi();
app.Run();

public partial class Program;
