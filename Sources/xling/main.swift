import ArgumentParser
XlingCommand.main()
