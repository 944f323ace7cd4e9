using Gatehouse.Authorization;
using Gatehouse.Authorization.Api;
using Gatehouse.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAuthorizationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAuthorizationApi();
app.Run();

public partial class Program;
