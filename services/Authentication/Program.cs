using Gatehouse.Authentication;
using Gatehouse.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAuthenticationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
