using Gatehouse.SessionBroker;
using Gatehouse.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSessionBrokerServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
