using Gatehouse.Authentication;
using Gatehouse.Authentication.Api;
using Gatehouse.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAuthenticationServices();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAuthenticationApi();
app.Run();

public partial class Program;
