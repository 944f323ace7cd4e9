using Gatehouse.Cli;

return await CliRoot.Build(new CliContext()).Parse(args).InvokeAsync();
