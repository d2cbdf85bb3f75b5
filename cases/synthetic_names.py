# ruff: noqa: RUF001
"""Given and family names per country of citizenship for invented persons (``generate_synthetic``).

Each list is in the country's script and ordered from the most to the least frequent, so that
drawing with Zipf-like weights by rank gives what a real register shows: a few very common
names and a long tail of rare ones. Sources: public name-frequency lists and the person
providers of the Faker project (MIT licence); Moldovan and Albanian lists compiled for this
module. The strings are split on whitespace (no name here contains a space).
"""

from __future__ import annotations

# country: language of the mother tongue written for the person
LANGUAGE = {
    "MD": "ro",
    "RO": "ro",
    "UA": "uk",
    "RU": "ru",
    "GE": "ka",
    "AL": "sq",
}

_FEMALE_GIVEN = {
    "MD": (
        "Ana Maria Elena Natalia Olga Cristina Tatiana Irina Doina Ludmila Ecaterina "
        "Svetlana Victoria Valentina Galina Nadejda Angela Mariana Diana Daniela Alina "
        "Aurelia Lilia Liliana Marina Larisa Veronica Corina Viorica Nina Aliona Inga Stela "
        "Rodica Silvia Violeta Adriana Eugenia Vera Zinaida Savina Anda Zaraza Lidia "
        "Cecilia Florina Elisabeta Cipriana Tania Casiana Dariana Marioara Amelia Suzana "
        "Maia Marga Eleonora Zoe Tincuța Alberta Andrada Agripina Aura Stanca Octavia Ilona "
        "Consuela Emanuela Axenia Milena Luana Iasmina Dana Dafina Dimitrina Aureliana "
        "Eliza Olivia Silvana Geta Vlădelina Anghelina Dumitra Iolanda Gherghina Roxelana "
        "Crenguța Cătălina Paula Cerasela Despina Daiana Blanduzia Fiona Pompilia Georgia "
        "Ruxandra Casandra Iosefina Dorina Profira Paulica Mona Cornelia Mioara Alida "
        "Clementina Viorela Doriana Steluța Tiberia Delia Catrinel Măriuca Aristița Camelia "
        "Ilinca Mirela Andreea Romanița Petronela Antoaneta Francesca Florica Alis Tudosia "
        "Maricica Estera Valeria Jasmina Sonia Antonela Flora Severina Filofteia Iulia "
        "Anamaria Georgeta Teona Florența"
    ),
    "RO": (
        "Ioana Andreea Mihaela Alina Roxana Gabriela Elena Maria Ana Cristina Daniela "
        "Alexandra Florentina Nicoleta Simona Ramona Georgiana Adriana Mădălina Loredana "
        "Denisa Bianca Larisa Raluca Oana Irina Aurica Silviana Dariana Anghelina Eva "
        "Casiana Axenia Iuliana Saveta Lelia Dumitrana Luminița Suzana Beatrice Cerasela "
        "Geta Didina Elisaveta Zina Doriana Nora Ada Camelia Laura Marina Jasmina Laurenția "
        "Ligia Virginia Dana Alice Floriana Ruxanda Adina Clara Zamfira Adelaida Paula Lia "
        "Sorina Victoria Iris Draga Zoe Catrina Carla Steluța Valeria Stanca Octavia Roza "
        "Clementina Artemisa Tudorița Crenguța Floarea Sânziana Ivona Marcheta Aneta "
        "Coralia Marta Rodica Demetra Grațiana Amanda Carolina Iasmina Mariana Erica Xenia "
        "Lucia Monalisa Aurora Eliza Paulica Lavinia Ortansa Cecilia Adelina Lidia Mioara "
        "Teona Constanța Gianina Tincuța Frusina Dumitra Tatiana Vicenția Mara Paulina "
        "Nidia Smaranda Elvira Narcisa Ecaterina Profira Lili Tinca Valentina Gențiana Rada "
        "Codrina Florența Andra Stela Silvana Carina Ruxandra Mirela Mărioara Dorina "
        "Natalia"
    ),
    "UA": (
        "Олена Наталія Оксана Ірина Тетяна Юлія Світлана Марія Анна Катерина Ольга Людмила "
        "Валентина Галина Надія Віра Любов Лариса Вікторія Анастасія Дарина Софія Ганна "
        "Христина Мар'яна Яна Інна Алла Зоряна Ліля Віта Аліна Євгенія Богдана Леся "
        "Роксолана Уляна Маргарита Тамара Ніна Діана Дарія Кристина Олександра Вероніка "
        "Жанна Лілія Мирослава Соломія Іванна Ярослава Зінаїда Раїса Лідія Поліна Злата "
        "Валерія Марина Ірена Варвара Володимира Амалія Святослава Аніта Тереза Ліза Орина "
        "Василина Клавдія Ада Данна Михайлина Мілена Пріска Одарка Едита Єлисавета Анжела "
        "Златослава Єва Сніжана Оксенія Богданна Камілла Марʼяна Альбіна Віолетта Юстина "
        "Богуслава Емілія Розалія Марта Еріка Маруся Ярина Орися"
    ),
    "RU": (
        "Ольга Наталья Елена Анна Мария Светлана Татьяна Ирина Екатерина Юлия Марина Галина "
        "Людмила Оксана Валентина Надежда Алина Дарья Ксения Виктория Кристина Полина "
        "Любовь Вера Нина Лариса Евгения Анастасия Алёна Яна Инна Жанна Зоя Лидия Раиса "
        "Маргарита Софья Диана Карина Вероника Майя Регина Снежана Таисия Ульяна Лора "
        "Милица Александра Марфа Валерия Ангелина Елизавета Анжелика Зинаида Варвара Иванна "
        "Агата Ия Агафья Алла Анжела Ираида Нонна Синклитикия Феврония Олимпиада Глафира "
        "Алевтина Лукия Прасковья Кира Тамара Евпраксия Нинель Евфросиния Фёкла Пелагея "
        "Элеонора София Наина Клавдия Акулина Евдокия Эмилия Октябрина Антонина Фаина "
        "Василиса"
    ),
    "GE": (
        "ნინო მარიამ თამარ ანა ეკა ქეთევან ნათია სალომე მაკა ნანა გალინა გუგული ლუიზა ირმა "
        "რუსუდან მაყვალა ბელა დიანა ლანა ნაირა ციცინო გულნარა ასმათ ელენე თინათინ ელიზა "
        "ანიკო თეა ირინე ეთერ თამთა სუსანა მარინე სოფიო ლენა ქეთინო კარინე ია ლარისა ნელი "
        "ცისანა ლეილა ნათელა მერი ხატია ნადია მარი ლილი თეონა მთვარისა გვანცა ელმირა მედიკო "
        "დალი თამილა ქრისტინე რიტა ნაზიბროლა ფატიმა ლია ლიზა ვიოლეტა ევგენია სონია მირანდა "
        "ლუდმილა ლიკა ლამარა ზოია ჟუჟუნა ელზა ნაზი ვარდო აზა მეგი ქეთო დარეჯან სულიკო ინეზა "
        "ხათუნა ანი ელენა ნატალია ვენერა სოფიკო თამარა მარგალიტა მარია ვერა ნინელი იზოლდა "
        "მაგდა ფატი ნარგიზა გულიკო ოლღა ლამზირა ლიდა იამზე ეკატერინე მადონა მარო როზა "
        "ტატიანა ელისო სვეტლანა რიმა მედეა ვერიკო ირინა ნორა შორენა ინგა ნესტან აიდა კლარა "
        "ნუნუ ჟანა ციური ზინა ალა თამუნა თინა მარინა ანჟელა მზია იზა ვალენტინა მაია ემა "
        "გიული ლალი ნადეჯდა ჟენია ნატო ციალა ანნა ნანი ნანული ნუცა ცირა მანანა სოფია თამარი "
        "დოდო ლიანა ნონა ოლია ზაირა ლელა თათია ჯულიეტა მარიკა ფიქრია ნაზიკო ლუბა"
    ),
    "AL": (
        "Arta Elira Blerta Drita Ermira Klea Anisa Albana Alketa Anila Arbana Ardita Arjola "
        "Blerina Brikena Besa Bora Dafina Denada Diana Dorina Edlira Elda Elona Elsa "
        "Emiljana Enkeleda Entela Erjona Esmeralda Etleva Fatbardha Fatjona Flutura "
        "Gentiana Gerta Hana Ilda Ilirjana Jonida Juliana Kaltrina Klodiana Kristina Ledia "
        "Lindita Lirie Luljeta Majlinda Manjola Marsela Merita Migena Mimoza Mirela Nertila "
        "Orjeta Pranvera Rajmonda Rudina Sadete Shpresa Silvana Sonila Suela Tefta Teuta "
        "Valbona Vjollca Xhensila Zamira Adelina Ajola Aurela Bukuroshe Dhurata Eglantina "
        "Fjoralba Greta Irena Jetmira Klarisa Lorena Marjeta Nora Olta Rovena Sara Tea Vera "
        "Xhulja Ana Era Joana Alba Ariola Bruna Dorela Elisa Floriana Gjyste Ina Kejsi "
        "Lumturie Mirjeta Nevila Oriana Rezarta Selvi Vilma Zana"
    ),
}

_MALE_GIVEN = {
    "MD": (
        "Ion Vasile Sergiu Andrei Iurie Victor Nicolae Dumitru Alexandru Mihai Vladimir "
        "Igor Gheorghe Valeriu Vitalie Oleg Ruslan Eugen Petru Anatolie Constantin "
        "Veaceslav Dan Ghenadie Pavel Radu Vadim Denis Maxim Artur Decebal Darius Mitică "
        "Ilarie Mihail Gelu Rafael Simion Marius Leonard Teofil Ionuț Maximilian Inocențiu "
        "Tiberiu George Voicu Daniel Silviu Emanuel Ciprian Aurel Vicențiu Nicu Edmond "
        "Aristide Georgian Paul Pompiliu Bănel Crin Iancu Ghiță Ioan Cosmin Luca Horea "
        "Emanoil Cornel Relu Camil Sabin Viorel Stancu Andrian Gabriel Visarion Leordean "
        "Toma Teodor Octaviu Pamfil Costin Ilie Gabi Nicodim Petrișor Miron Panait Claudiu"
    ),
    "RO": (
        "Mihai Alexandru Florin Marius Adrian Andrei Ion Gheorghe Constantin Ionuț Cristian "
        "Daniel Bogdan Ștefan Nicolae Vasile Gabriel Cătălin Dumitru Sorin Costel Marian "
        "Vlad Lucian Ernest Manole Bănel Edgar Vladimir Corneliu Agnos Ghiță Olimpiu Benone "
        "Mitruț Gicu Georgel Nicoară Bucur Ladislau Eftimie Jean Jenel Călin Nae Lorin "
        "Cezar Codruț Petru Leonard Maximilian Rareș Vlaicu Mugur Augustin Beniamin Antonie "
        "Dorinel Romeo Radu Nicu Ovidiu Arsenie Cazimir Lică Corvin Pătru David Ghenadie "
        "Aurel Nechifor Panait Basarab Todor Viorel Iustinian Tiberiu Aleodor Paul Silviu "
        "Dragoș Matei Traian Dorin Doru Ieremia Andrian Maxim Nichifor Marcel"
    ),
    "UA": (
        "Іван Сергій Олександр Андрій Юрій Микола Володимир Віктор Василь Олег Дмитро Петро "
        "Михайло Богдан Тарас Ігор Роман Віталій Руслан Максим Онисим Веніямин Антон Леон "
        "Спас Зиновій Тимофій Вадим Едуард Демид Борис Прохір Марко Вʼячеслав Давид Хома "
        "Демʼян Ярема Гліб Остап Юстим Лесь Аврелій Семен Симон Борислав Стефан Нестор "
        "Ярослав Феофан Устим Федір Микита Алевтин Амвросій Артем Орест Теодор Дан Олесь "
        "Ігнат Степан Павло Кирило Герман Аркадій Ілля Варфоломій Станіслав Азар Мирон "
        "Аарон Валентин Панас Мирослав Гаврило Альберт Пантелеймон Лукʼян Данило Зорян "
        "Ростислав Захар Макар Болеслав Пармен Святослав Богуслав Орхип Арсен Омелян "
        "Соломон Йосип Владислав Назар Леопольд Валерій Мартин Левко Трохим"
    ),
    "RU": (
        "Иван Сергей Алексей Дмитрий Юрий Андрей Александр Владимир Михаил Николай Ипполит "
        "Феофан Гостомысл Евлампий Олег Аникей Иларион Ростислав Леонтий Фортунат Фадей "
        "Геннадий Максимильян Клавдий Мечислав Лонгин Арсений Данила Георгий Порфирий Фома "
        "Семен Орест Тимофей Виктор Лавр Ладимир Аникита Панкратий Леон Ипатий Зиновий "
        "Константин Измаил Терентий Никандр Андроник Всеслав Радован Спартак Игнатий "
        "Парамон Петр Якуб Андрон Влас Агафон Мирослав Юлий Твердислав Никифор Светозар "
        "Потап Капитон Август Чеслав Прохор Всеволод Ярослав Лука Ефим Сигизмунд Аким "
        "Каллистрат Ипат Рюрик Гордей Эдуард Архип Святослав Януарий Эраст Ираклий Велимир "
        "Гедеон Ермолай Савва Харлампий Парфен Венедикт Доброслав Кузьма Модест Пимен Игорь "
        "Роман Фотий Федор Давыд Эммануил"
    ),
    "GE": (
        "გიორგი დავით ლევან ნიკა ზურაბ ირაკლი ალექსანდრე ლაშა გოჩა თორნიკე ავთანდილ მალხაზ "
        "მინდია გია ვეფხვია რობერტ რატი ვლადიმერ ნოდარ ამირან ივანე ჯემალ ტარიელ გელა არტურ "
        "ზაზა მურმან ბადრი ბორის მამუკა ვახტანგ თეიმურაზ დიმიტრი ჯუმბერ ჯონი გოგიტა ოთარ "
        "პეტრე ილია სერგო დათო აკაკი გოგი ვიქტორ ედუარდ მიხეილ ომარ არჩილ ბექა ემზარ როინ "
        "არმენ დემურ მირიან უშანგი რეზო როლანდ ელგუჯა გოდერძი ზაქარია ნუკრი ზვიად მერაბ "
        "ანზორ რამაზ მურთაზ ბიძინა იაგო ალექს პაატა ნუგზარ კახაბერ სოსო შოთა გოგა ზაურ "
        "გენადი ნიკოლოზ თენგიზ რომან ვასილ ვაჟა ხვიჩა თამაზ ბესიკ ვანო ბესარიონ გიგლა პავლე "
        "კახა შალვა კონსტანტინე იური ბონდო სიმონ რევაზ გივი გრიგოლ უჩა თემურ იოსებ ჯაბა "
        "კარლო კობა ასლან გურამ ვალერი ვალერიან გიგა შაქრო"
    ),
    "AL": (
        "Arben Dritan Besnik Ilir Gent Erion Agron Albert Altin Andi Ardit Arian Artan "
        "Bashkim Bekim Blendi Dashamir Edmond Elton Endrit Enea Erald Ergys Eris Fatmir "
        "Florian Gazmend Genci Granit Ilirian Jetmir Klajdi Kristi Leonard Lulzim Marsel "
        "Mentor Mirel Nikolin Orges Petrit Redi Rezart Sokol Taulant Valon Xhevdet Ylli Zef "
        "Adrian Alban Amarildo Armand Astrit Bujar Dorian Eduart Elvis Fation Gerti Hysen "
        "Kastriot Klodian Luan Mario Nertil Olsi Renato Saimir Shkelzen Tomor Xhoni Ermal "
        "Fisnik Gjergj Indrit Jurgen Kujtim Lorenc Mikel Osman Pellumb Qemal Rigers"
    ),
}

_FAMILY = {
    "MD": (
        "Rusu Ceban Lungu Popa Cojocaru Munteanu Ciobanu Moraru Rotari Țurcan Sîrbu "
        "Cebotari Bălan Guțu Lupu Melnic Roșca Cazac Grosu Botnari Croitoru Bivol Ursu "
        "Bejenari Ursachi Codreanu Chiriac Mocanu Țurcanu Gușan Istrati Rotaru Vasilache "
        "Railean Paladi Burlacu Cernei Chiper Ciubotaru Donos Furtună Gheorghița Gîrlea "
        "Harea Iovu Jardan Leahu Lozan Mardari Negru Onofrei Pascari Prodan Rață Sandu "
        "Spînu Stratan Tabac Tcaci Turea Ungureanu Vrabie Zgardan Arseni Băeșu Botezatu "
        "Buzu Caraman Ciornii Cucu Dodon Eremia Frunze Goncear Gorincioi Hîncu Ivanov "
        "Jitari Lisnic Malai Mîndru Nastas Olaru Pînzari Plămădeală Popescu Postolachi "
        "Rusnac Scutaru Taran Tîrnă Țîbuleac Vieru Zaporojan Baciu Bîrcă Bogdan Căpățînă "
        "Ceaicovschi Chicu Cojocari Colesnic Cotruță Darie Dumbravă Enache Florea Gaină "
        "Gherman Gonța Iațco Lazăr Manole Morari Nistor Oprea Panfil Pîrțac Sava Secrieru "
        "Sochirca Stoian Surdu Talpă Tudor Vacarciuc Vlas Zubco Andronic Bostan Bulat "
        "Burduja Cebanu Chetraru Cibotaru Ciorbă Cobzac Costin Covalciuc Crețu Dabija "
        "Diaconu Dobrovolschi Ganea Gavriliță Grecu Guzun Hîrbu Ilieș Josan Lefter Lozovan "
        "Lucașenco Manoli Marin Matei Mereuță Moldovan Neculce Nedelcu Pleșca Pogor "
        "Popovici Preguza Prisacari Roman Savciuc Scurtu Sîrghi Stati Știrbu Suruceanu Șova "
        "Tănase Todiraș Toma Tonu Țapu Vîrlan Voloc Zagorschi Zaharia Bodrug Buga Calancea "
        "Cazacu Cernat Chirilă Ciobu Cojuhari Cozma Dragan Erhan Fusu Gîrbu Godoroja "
        "Grigoriță Lupașco Macari Pîslaru Rotundu Tofan Bîzgu Cușnir Dediu Făină Gurău "
        "Hadârcă Jalbă Mîțu Năstase Ojog Pântea Strătilă Ţurcan Vasilița Vizitiu Zbârciog "
        "Apostol Borș Carpov Doroftei Ghețu Iachim Leu Mihalachi Nicula Pavlic Slutu "
        "Tulbure Zaharcu"
    ),
    "RO": (
        "Popescu Ionescu Stan Dumitrescu Marin Stoica Popa Pop Radu Dumitru Constantin "
        "Gheorghe Ilie Munteanu Matei Florea Stanciu Rusu Mihai Lazăr Ciobanu Moldovan Dinu "
        "Barbu Tudor Ene Cristea Toma Ion Stoian Georgescu Nistor Zamfir Dobre Anghel Sandu "
        "Oprea Voicu Lungu Preda Răducanu Moraru Badea Neagu Enache Nedelcu Diaconu "
        "Rădulescu Vasile Manea Iordache Mocanu Cojocaru Surdu Gavrilă Petrescu Mihăilă "
        "Neacșu Grigore Șerban Popovici Vlad Dragomir Mitrea Bălan Coman Niculae Căpraru "
        "Marinescu Nicolae Tănase Sima Olteanu Andrei Cozma Ardeleanu Lupu Stancu Iliescu "
        "Costache Mihalache Nae Paraschiv Roman Ursu Vasilescu Avram Burlacu Chiriac "
        "Dobrescu Filip Gavrilescu Husar Ispas Jitaru Lăzărescu Mircea Niculescu Oancea "
        "Păun Rotaru Sârbu Talpă Ungureanu Vlădescu Zaharia Bogdan Cazacu Dănilă Enescu "
        "Fătu Grosu Hanganu Iancu Lixandru Manole Năstase Onu Pavel Roșu Sava Tănăsescu "
        "Udrea Voinea Zăvoianu Albu Buzatu Cernat Done Epure Frunză Ghiță Hodor Istrate "
        "Leca Macovei Negru Oprescu Pîrvu Răileanu Solomon Tudorache Uță Vișan Zăgan Axinte "
        "Bucur Chirilă Dragomirescu Ardelean Bârsan Crăciun Drăgan Filimon Goga Hristea "
        "Ichim Lăcătuș Mareș Moise Neagoe Onea Panait Pârvulescu Rădoi Sălăjan Tomescu "
        "Ursache Văduva Zaharescu Aldea Balint Ciucă Dascălu Fodor Gherman Iacob Jianu "
        "Lungeanu Manolache Mazilu Nicolescu Olaru Pătrașcu Rusnac Stanca Tatu Vâlcu Bratu "
        "Chițu Damian Enciu Florescu Grigorescu Ilinca Marcu Mihăilescu Nica Petcu Pană "
        "Sălcianu Stănescu Toader Vintilă Banu Costea Dumbravă Ganea Hagiu Lupașcu Mateescu "
        "Nedelea Pascu Radulescu Stroe Tița Ungur Voicule Aanei Nemeș Mazilescu Pușcașu "
        "Niță Dochioiu Ioniță Eftimie Tabacu Gheorghiu Dima Ababei Suciu Diaconescu"
    ),
    "UA": (
        "Мельник Шевченко Коваленко Бондаренко Бойко Ткаченко Кравченко Ковальчук Коваль "
        "Олійник Шевчук Поліщук Лисенко Бондар Марченко Мороз Петренко Руденко Савченко "
        "Гнатюк Кравчук Павленко Клименко Левченко Харченко Карпенко Романенко Іваненко "
        "Федоренко Мартинюк Данилюк Кузьменко Василенко Литвиненко Пономаренко Костенко "
        "Савчук Гончаренко Тимошенко Охримович Данькевич Кальченко Чекалюк Швачко Савенко "
        "Адаменко Редько Артимишина Вовк Гайда Верхола Талан Базилевська Бабиченко Ісаєвич "
        "Гоголь Худяк Ірванець Андрусенко Єрьоменко Щорс Дубас Шелест Жадан Андрійчук "
        "Давимука Овсієнко Самойленко Журба Устенко Атаманчук Затовканюк Гречаник Авраменко "
        "Микитюк Сірченко Базилевич Цушко Дашкевич Яковенко Заєць Шаповал Шеремета Баранник "
        "Лагода Пелех Андрієвич Алексюк Ващенко-Захарченко Гречко Хорішко Юхименко Батюк "
        "Макогон Лупій Власюк Аверченко Лаба Лавренко Пилипенко Юрчук Іваничук Дуплій "
        "Гаврилець Данчук Вобла Петрик Дрозденко Рябошапка Байрак Кибкало Бабійчук Москаль "
        "Єщенко Черненко Короленко Дейнека Павличенко Дергач Євдокименко Сацюк Негода "
        "Ватаманюк Пʼятаченко Зарудна Артюшенко Терещенко Баранець Дейсун Зайченко "
        "Філіпенко Ткач Даниленко Кармалюк Ярема Гайдабура Вертипорох Туркало Тарасенко "
        "Бабич Теліженко Малишко Колодуб Сімашкевич Щербань Вакуленко Юрченко Верховинець "
        "Комар Цимбалюк Рябченко Прокопович Малик Даньків Парасюк Гунько Фаренюк Сич "
        "Колесниченко Шутько Ейбоженко Фоменко Матяш Романець Рябець Корж Павлик "
        "Базавлученко Носенко Баклан Килимник Свириденко Бабко Верес Єрмоленко Шамрай "
        "Акименко Даценко Панчук Рудик Фесенко Бездітко Ільченко Якимчук Гаврилів Штокало "
        "Гаєвська Бебешко Чміль Корпанюк Архипенко Джунь Конопля Свистун Голик Піддубна "
        "Смик Алексійчук Шухевич Гавриш Михайличенко Дробаха Андрощук Ґоляш Влох Кириленко "
        "Ґереґа Ящук Ковалюк Штепа Приходько Удовенко Шморгун Лубенець Удовиченко Рева "
        "Непорожній Гаврилюк Доценко Гриценко Дзюба Цюцюра Франко Іванченко Корбут Акуленко "
        "Мазур Гаврилишина Козаченко Вдовиченко Притула Щириця Сомко Гузій Рябовіл Палій "
        "Нестеренко Демиденко Усик Забіла Зінкевич Тригуб Авдєєнко Овчаренко Хомик "
        "Дробʼязко Бакуменко Арсенич Скиба Андріїшина Валенко Шеремет Ковпак Засуха Чуйко "
        "Конопленко Шиян Ґжицька Вахній Гресь"
    ),
    "RU": (
        "Смирнов Иванов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Петров Волков "
        "Соловьев Васильев Зайцев Павлов Семенов Голубев Виноградов Богданов Воробьев "
        "Федоров Михайлов Беляев Тарасов Белов Комаров Орлов Киселев Макаров Андреев "
        "Ковалев Ильин Гусев Титов Кузьмин Кудрявцев Баранов Куликов Алексеев Степанов "
        "Яковлев Сорокин Сергеев Романов Захаров Борисов Королев Герасимов Пономарев "
        "Григорьев Лазарев Медведев Ершов Никитин Соболев Рябов Поляков Цветков Данилов "
        "Жуков Фролов Журавлев Николаев Крылов Максимов Сидоров Осипов Белоусов Федотов "
        "Дорофеев Егоров Матвеев Бобров Дмитриев Калинин Анисимов Петухов Антонов Тимофеев "
        "Никифоров Веселов Филиппов Марков Большаков Суханов Миронов Ширяев Александров "
        "Коновалов Шестаков Казаков Ефимов Денисов Громов Фомин Давыдов Мельников Щербаков "
        "Блинов Колесников Карпов Афанасьев Власов Маслов Исаков Тихонов Аксенов Гаврилов "
        "Родионов Котов Горбунов Кудряшов Быков Зуев Третьяков Савельев Панов Рыбаков "
        "Суворов Абрамов Воронов Мухин Архипов Трофимов Мартынов Емельянов Горшков Чернов "
        "Овчинников Селезнев Панфилов Копылов Михеев Галкин Назаров Лобанов Лукин Беляков "
        "Потапов Некрасов Хохлов Жданов Наумов Шилов Воронцов Ермаков Дроздов Игнатьев "
        "Савин Логинов Сафонов Капустин Кириллов Моисеев Елисеев Кошелев Костин Горбачев "
        "Орехов Ефремов Исаев Евдокимов Калашников Кабанов Носков Юдин Кулагин Лапин "
        "Прохоров Нестеров Харитонов Агафонов Муравьев Ларионов Федосеев Зимин Пахомов "
        "Шубин Игнатов Филатов Крюков Рогов Кулаков Терентьев Молчанов Владимиров Артемьев "
        "Гурьев Зиновьев Гришин Кононов Дементьев Ситников Симонов Мишин Фадеев Комиссаров "
        "Мамонтов Носов Гуляев Шаров Устинов Вишняков Евсеев Лаврентьев Брагин Константинов "
        "Корнилов Авдеев Зыков Бирюков Шарапов Никонов Щукин Дьячков Одинцов Сазонов Якушев "
        "Красильников Гордеев Самойлов Князев Беспалов Уваров Шашков Бобылев Доронин "
        "Белозеров Рожков Самсонов Мясников Лихачев Буров Сысоев Фомичев Русаков Стрелков "
        "Гущин Тетерин Колобов Субботин Фокин Блохин Селиверстов Пестов Кондратьев Силин "
        "Меркушев Лыткин Туров"
    ),
    "GE": (
        "ბერიძე კაპანაძე გელაშვილი მაისურაძე ლომიძე გიორგაძე ცინცაძე მამედოვი ბოლქვაძე "
        "ხუციშვილი მაღლაკელიძე დალაქიშვილი შანიძე ბერიაშვილი ბოჭორიშვილი კუჭუხიძე ბრეგვაძე "
        "ასანიძე ბრეგაძე ჩხეიძე ჯანაშია მიქაბერიძე შონია მესხი თედორაძე გოგუა შეყილაძე "
        "კვინიკაძე ბარბაქაძე ხურცილავა ყაველაშვილი ხარებავა მინდიაშვილი თოდუა მუსტაფაევა "
        "ჯაფარიძე ელბაქიძე ბიწაძე გველესიანი ლომთაძე ლიპარტელიანი ანდღულაძე ლობჯანიძე "
        "შავაძე ქობულაძე კიკვაძე ბერუაშვილი ჯიშკარიანი ჩაჩანიძე ჩუბინიძე ტურაშვილი მუსაევა "
        "ჭეიშვილი კობაიძე ბუკია ქევხიშვილი ბერძენიშვილი ღონღაძე ნოზაძე ჩაჩუა ონიანი ჩაფიძე "
        "გოგია ქარდავა ირემაშვილი სიმონიშვილი მარგველაშვილი მელქაძე ტალახაძე ქამადაძე "
        "დოლიძე ავალიანი ალიევი კარაპეტიანი ფხალაძე ალადაშვილი ლაგვილავა ჯავახიშვილი "
        "ქართველიშვილი ხარაზიშვილი თევზაძე გოგოლაძე კონცელიძე გაბუნია გაბელია წურწუმია "
        "ფუტკარაძე სილაგაძე გიორგობიანი გოგიაშვილი ქუთათელაძე ჯანელიძე კურტანიძე ხაჩიძე "
        "ქავთარაძე ხელაძე ქობალია ღლონტი ხვიჩია ქურდაძე ახვლედიანი მაღრაძე ბალიაშვილი "
        "ელიზბარაშვილი იმნაძე გელაძე მახარაშვილი უგრეხელიძე ხაჩატურიანი კილასონია მუმლაძე "
        "ოქრუაშვილი როგავა ბერულავა მუშკუდიანი ცუცქირიძე კუბლაშვილი ნაჭყებია სირბილაძე "
        "ჭელიძე გაბედავა კაკაურიძე ბუცხრიკიძე კუპრაშვილი გაგუა რეხვიაშვილი აბულაძე ყოლბაია "
        "მეფარიშვილი ნიკოლაიშვილი გოცირიძე მეტრეველი ადეიშვილი გიგაური კუპრეიშვილი "
        "ჭანტურიძე ძნელაძე პატარაია ახალაია არჩვაძე ლეჟავა ყიფიანი ხორავა ალანია "
        "ლორთქიფანიძე გუმბერიძე ბლიაძე რაზმაძე ქარჩავა დევიძე ისაევი ღვინჯილია დემეტრაშვილი "
        "ფანცულაია ჯღარკავა გაგნიძე ლაცაბიძე გრიგორიანი ჯიქია შენგელია კაციტაძე ნადირაშვილი "
        "კილაძე სურმანიძე კუჭავა მაჭავარიანი სამხარაძე ლურსმანაშვილი მიმინოშვილი ცაავა "
        "გვაზავა ნატროშვილი გორგაძე აბესაძე პაპუაშვილი გურგენიძე კუხიანიძე კვარაცხელია "
        "გოგალაძე გოგიჩაშვილი როსტიაშვილი ზურაბაშვილი ფიცხელაური ინასარიძე ვალიევა "
        "ქარცივაძე ჯანჯღავა მახარაძე იმერლიშვილი ქირია პაპავა გაბრიჭიძე მაჭარაშვილი ცარციძე "
        "ვაშაყმაძე ძიძიგური გორგილაძე ენუქიძე ხიზანიშვილი მამულაშვილი სალუქვაძე კვანტალიანი "
        "ხარშილაძე დიასამიძე კაკულია გოგუაძე შუბითიძე ბერაძე მჭედლიძე თავაძე გოგიტიძე "
        "კეკელიძე წულუკიძე გოგიშვილი ნაცვლიშვილი ყიფშიძე ვარშანიძე ბექაური აბრამიშვილი "
        "ჯიბლაძე ბერიშვილი ღარიბაშვილი გვასალია გულიაშვილი ნადირაძე შალამბერიძე გაჯიევი "
        "ჟორჟოლიანი ნაბიევი ჭითანავა ფეიქრიშვილი ჩიხლაძე დანელია გორგოძე გოგიძე ფერაძე "
        "დევაძე მოსიაშვილი არაბიძე ვაშაკიძე ბარამიძე კოპაძე გულუა კირთაძე სანიკიძე სამუშია "
        "მერაბიშვილი წერეთელი კვაჭაძე ხურციძე პაპაშვილი ბიბილაშვილი გაჩეჩილაძე ბაკურაძე "
        "ცხადაძე მერებაშვილი გუჯაბიძე პავლიაშვილი კალანდია ცანავა"
    ),
    "AL": (
        "Hoxha Shehu Leka Krasniqi Gashi Berisha Dervishi Kola Prifti Çela Basha Lika Gjoka "
        "Marku Hysa Muça Duka Koci Kelmendi Murati Rama Bregu Meta Dushku Mema Hasani Tafa "
        "Laçi Zeneli Xhafa Sula Hyseni Bajrami Demiri Mustafa Ahmeti Aliu Osmani Shala "
        "Morina Rexhepi Hoti Luli Dema Pepa Toska Vata Zhupa Kapllani Cani Topalli Doda "
        "Gjini Pllumi Qosja Rrapaj Sinani Tahiri Ujkani Veliu Xhemali Ymeri Zaimi Alushi "
        "Balla Bushati Cenko Dedja Elezi Frashëri Gega Haxhiu Isaku Jashari Kurti Lala "
        "Malaj Ndreu Ohri Pasha Qerimi Ruci Sejdiu Tola Uka Vrioni Xhaferri Zogu Abazi "
        "Beqiri Curri Dibra Ferati Gjoni Hysaj Ibrahimi Kaja Lleshi Mehmeti Nika Pali "
        "Qehaja Rexha Shkurti Tare Vorpsi Zela Agolli Bejko Cako Deliu Elmazi Fejzo Gjeta "
        "Hajdari Idrizi Kaçi Lamaj Mara Nezaj Pajo Qafa Resuli Sadiku Tanushi Vasili Zeqiri "
        "Allkja Bici Cami Dajti Ferhati Gjonaj Halili Isufi Kallço Llazi Memaj Nushi Petani "
        "Rrushi Selimi Tusha Veizi Xhelili Zyka Aliaj Brahimi Cuka Dosti Furxhi Gurra "
        "Hamiti Imeri Kuqi Lushaj Myftari Noka Paloka Rrapi Shima Troshani Vuka Xhani Ziu "
        "Avdiu Buzi Çaushi Duli Fico Gjika Hida Jaupi Kadiu Lalaj Mërtiri Ndoja Pema Ramaj "
        "Spahiu Tërshana Velaj Zekaj Ademi Bylykbashi Cici Doçi Guri Hajno Jakupi Kuka "
        "Lazaj Mullaj Nela Plaku Rushiti Shabani Tepelena Vogli Zeka Bala Dauti Fusha Gjata "
        "Halilaj Kastrati Lekaj Bardhi Dani Hoxhaj Kraja Mici Qyteza Sallaku Toçi Vokshi "
        "Xheka"
    ),
}

# Family names with a feminine form (Russian): the same rank order as _FAMILY.
_FAMILY_FEMININE = {
    "RU": (
        "Смирнова Иванова Кузнецова Попова Соколова Лебедева Козлова Новикова Морозова "
        "Петрова Волкова Соловьева Васильева Зайцева Павлова Семенова Голубева Виноградова "
        "Богданова Воробьева Федорова Михайлова Беляева Тарасова Белова Комарова Орлова "
        "Киселева Макарова Андреева Ковалева Ильина Гусева Титова Кузьмина Кудрявцева "
        "Баранова Куликова Алексеева Степанова Яковлева Сорокина Сергеева Романова Захарова "
        "Борисова Королева Герасимова Пономарева Григорьева Лазарева Медведева Ершова "
        "Никитина Соболева Рябова Полякова Цветкова Данилова Жукова Фролова Журавлева "
        "Николаева Крылова Максимова Сидорова Осипова Белоусова Федотова Дорофеева Егорова "
        "Матвеева Боброва Дмитриева Калинина Анисимова Петухова Антонова Тимофеева "
        "Никифорова Веселова Филиппова Маркова Большакова Суханова Миронова Ширяева "
        "Александрова Коновалова Шестакова Казакова Ефимова Денисова Громова Фомина "
        "Давыдова Мельникова Щербакова Блинова Колесникова Карпова Афанасьева Власова "
        "Маслова Исакова Тихонова Аксенова Гаврилова Родионова Котова Горбунова Кудряшова "
        "Быкова Зуева Третьякова Савельева Панова Рыбакова Суворова Абрамова Воронова "
        "Мухина Архипова Трофимова Мартынова Емельянова Горшкова Чернова Овчинникова "
        "Селезнева Панфилова Копылова Михеева Галкина Назарова Лобанова Лукина Белякова "
        "Потапова Некрасова Хохлова Жданова Наумова Шилова Воронцова Ермакова Дроздова "
        "Игнатьева Савина Логинова Сафонова Капустина Кириллова Моисеева Елисеева Кошелева "
        "Костина Горбачева Орехова Ефремова Исаева Евдокимова Калашникова Кабанова Носкова "
        "Юдина Кулагина Лапина Прохорова Нестерова Харитонова Агафонова Муравьева Ларионова "
        "Федосеева Зимина Пахомова Шубина Игнатова Филатова Крюкова Рогова Кулакова "
        "Терентьева Молчанова Владимирова Артемьева Гурьева Зиновьева Гришина Кононова "
        "Дементьева Ситникова Симонова Мишина Фадеева Комиссарова Мамонтова Носова Гуляева "
        "Шарова Устинова Вишнякова Евсеева Лаврентьева Брагина Константинова Корнилова "
        "Авдеева Зыкова Бирюкова Шарапова Никонова Щукина Дьячкова Одинцова Сазонова "
        "Якушева Красильникова Гордеева Самойлова Князева Беспалова Уварова Шашкова "
        "Бобылева Доронина Белозерова Рожкова Самсонова Мясникова Лихачева Бурова Сысоева "
        "Фомичева Русакова Стрелкова Гущина Тетерина Колобова Субботина Фокина Блохина "
        "Селиверстова Пестова Кондратьева Силина Меркушева Лыткина Турова"
    ),
}


def _words(table: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {country: tuple(text.split()) for country, text in table.items()}


FEMALE_GIVEN = _words(_FEMALE_GIVEN)
MALE_GIVEN = _words(_MALE_GIVEN)
FAMILY = _words(_FAMILY)
FAMILY_FEMININE = _words(_FAMILY_FEMININE)
