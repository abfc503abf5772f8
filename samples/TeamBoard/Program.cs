await TeamBoard.TeamBoardApp.Create(args).RunAsync();
