using Gatehouse.Authorization;
using Gatehouse.Authorization.Api;
using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAuthorizationServices();

var app = builder.Build();
// Around authorization, so an admin write refused for want of the role is recorded like any other refusal.
app.UseRefusedChangeEvents();
app.UseAuthentication();
app.UseAuthorization();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAuthorizationApi();
app.Run();

public partial class Program;
