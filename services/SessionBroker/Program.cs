using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.SessionBroker;
using Gatehouse.SessionBroker.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSessionBrokerServices();

var app = builder.Build();
// Around authorization, so an admin write refused for want of the role is recorded like any other refusal.
app.UseRefusedChangeEvents();
app.UseAuthentication();
app.UseAuthorization();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapSessionBrokerApi();
app.Run();

public partial class Program;
