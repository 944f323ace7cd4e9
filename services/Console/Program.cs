using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Health;
using Gatehouse.WebConsole;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddConsoleServices();

var app = builder.Build();
app.UseConsoleSecurity();
app.MapHealthEndpoints();
app.MapConsolePages();
app.Run();

public partial class Program;
