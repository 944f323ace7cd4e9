using Gatehouse.Authentication;
using Gatehouse.Authentication.Api;
using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAuthenticationServices();

var app = builder.Build();
app.UseRefusedChangeEvents();
app.UseAuthentication();
app.UseAuthorization();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAuthenticationApi();
app.Run();

public partial class Program;
