using Gatehouse.Audit;
using Gatehouse.Audit.Api;
using Gatehouse.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAuditServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAuditApi();
app.Run();

public partial class Program;
