from crewplan.cli import main

main()
