import ArgumentParser

XlingCommand.main()
